// POST /fhir/Task's refusals and its conditional create. A ServiceRequest has one Task: a second create is 409,
// naming the one there. R4 conditional create (If-None-Exist): the header is a Task search, run as GET /fhir/Task
// runs it, in the caller's organisation. No match: create; one: answer it (200); more: 412. Every parameter must
// be understood: a condition partly ignored could let a second create through.
import { HttpProblem } from '@wor/service-kit';
import type { Request } from 'express';
import type { Pool } from 'pg';
import { TASK_SEARCH } from './routes';
import { isDeclared, parseTaskQuery } from './search';
import { searchTasks } from './task-index';

const invalid = (message: string): HttpProblem =>
  new HttpProblem({
    status: 400,
    title: 'Bad Request',
    detail: 'The If-None-Exist condition is invalid.',
    extra: { errors: [{ path: 'If-None-Exist', message }] },
  });

/** The If-None-Exist search as a query (`focus=…`, `Task?focus=…` or a whole URL), or undefined without one. */
export const ifNoneExistOf = (req: Request): Record<string, string | string[]> | undefined => {
  const header = req.get('if-none-exist');
  if (header === undefined) return undefined;
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(header.trim().replace(/^[^?]*\?/, ''))) {
    const had = query[key];
    query[key] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  const keys = Object.keys(query);
  if (!keys.length) throw invalid('a Task search, e.g. focus=ServiceRequest/<id>');
  const unknown = keys.filter((key) => !isDeclared(key, TASK_SEARCH));
  if (unknown.length) throw invalid(`not a Task search parameter here: ${unknown.join(', ')}`);
  return query;
};

/** The caller's Tasks the condition matches: two at most, as more than one is all a create needs to know. */
export const matchingTasks = async (
  pool: Pool,
  organisationId: string,
  query: Record<string, unknown>,
): Promise<{ ids: string[]; total: number }> => {
  const { includeFocus: _include, ...search } = parseTaskQuery(query);
  return searchTasks(pool, { organisationId, ...search, count: 2, offset: 0 });
};

export const tooManyMatches = (total: number): HttpProblem =>
  new HttpProblem({
    status: 412,
    title: 'Precondition Failed',
    detail: `If-None-Exist matches ${total} Tasks; make the condition select one.`,
  });

/** The 409 of a second Task for a ServiceRequest, naming the Task that exists and how to be answered with it. */
export const taskExists = (base: string, id: string): HttpProblem =>
  new HttpProblem({
    status: 409,
    title: 'Conflict',
    detail: `ServiceRequest/${id} has its Task already.`,
    extra: {
      errors: [
        {
          path: 'Task.focus',
          message:
            `ServiceRequest/${id} has its Task already: ${base}/Task/${id}. Read that one, ` +
            `or create with If-None-Exist: focus=ServiceRequest/${id} to be answered with it.`,
        },
      ],
    },
  });
