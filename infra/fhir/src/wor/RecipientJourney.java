package wor;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/**
 * The HL7 Gravity "Light" recipient by FHIR alone, with HAPI FHIR's generic client in its default mode (it
 * reads /fhir/metadata before the first call): poll Task?owner=…&status=requested, read the Task, update it to
 * accepted and in-progress (versioned: If-Match), POST a Procedure based on the ServiceRequest, complete the
 * Task with output → that Procedure, read it back. One line per step on stdout ("ok step detail"); on any
 * failure "FAIL step message" and exit code 1.
 *
 * <p>Args: base URL, bearer token, owner organisation id, canonical base of the platform's CodeSystems,
 * and optionally the Task id the poll must find.
 */
public final class RecipientJourney {
  private static final String SDOHCC =
      "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes";

  private static String step = "start";

  public static void main(String[] args) {
    if (args.length < 4) {
      System.err.println("usage: RecipientJourney BASE_URL TOKEN OWNER_ORGANISATION_ID CANONICAL_BASE [TASK_ID]");
      System.exit(2);
    }
    try {
      run(args[0], args[1], args[2], args[3], args.length > 4 ? args[4] : null);
    } catch (Exception e) {
      System.out.println("FAIL " + step + " " + e.getClass().getSimpleName() + ": " + e.getMessage());
      System.out.flush();
      System.exit(1);
    }
  }

  private static void ok(String detail) {
    System.out.println("ok " + step + " " + detail);
    System.out.flush();
  }

  private static void check(boolean condition, String message) {
    if (!condition) throw new IllegalStateException(message);
  }

  /** The version of a resource as the server gave it (meta.versionId). */
  private static String versionOf(Task task) {
    return task.getMeta().getVersionId();
  }

  private static Task update(IGenericClient client, Task task, String version) {
    MethodOutcome outcome =
        client
            .update()
            .resource(task)
            .withId(task.getIdElement().toUnqualifiedVersionless())
            .withAdditionalHeader("If-Match", "W/\"" + version + "\"")
            .execute();
    Task updated = (Task) outcome.getResource();
    check(updated != null, "the update answered no Task");
    return updated;
  }

  private static void run(String base, String token, String owner, String canonical, String expectedTask) {
    FhirContext context = FhirContext.forR4();
    // Default server validation mode (ONCE): the client reads the CapabilityStatement before its first call.
    IGenericClient client = context.newRestfulGenericClient(base);
    client.registerInterceptor(new BearerTokenAuthInterceptor(token));
    ResponseValidator answers = new ResponseValidator(context);
    client.registerInterceptor(answers);

    step = "search";
    Bundle polled =
        client
            .search()
            .forResource(Task.class)
            .where(new ReferenceClientParam("owner").hasId(owner))
            .and(new TokenClientParam("status").exactly().code("requested"))
            .returnBundle(Bundle.class)
            .execute();
    Task found = null;
    for (Bundle.BundleEntryComponent e : polled.getEntry())
      if (e.getResource() instanceof Task t
          && (expectedTask == null || expectedTask.equals(t.getIdElement().getIdPart()))) found = t;
    check(found != null, "no requested Task for " + owner + " (" + polled.getEntry().size() + " entries)");
    String id = found.getIdElement().getIdPart();
    ok("Task/" + id + " of " + polled.getTotal());

    step = "read";
    Task task = client.read().resource(Task.class).withId(id).execute();
    check("requested".equals(task.getStatus().toCode()), "status " + task.getStatus().toCode());
    ok("Task/" + id + " version " + versionOf(task));

    step = "accept";
    task.setStatus(Task.TaskStatus.ACCEPTED);
    task = update(client, task, versionOf(task));
    check(task.getStatus() == Task.TaskStatus.ACCEPTED, "status " + task.getStatus().toCode());
    ok("accepted, version " + versionOf(task));

    step = "start";
    task.setStatus(Task.TaskStatus.INPROGRESS);
    task = update(client, task, versionOf(task));
    check(task.getStatus() == Task.TaskStatus.INPROGRESS, "status " + task.getStatus().toCode());
    String startedVersion = versionOf(task);
    ok("in-progress, version " + startedVersion);

    step = "procedure";
    Procedure procedure = new Procedure();
    procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
    procedure.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "410290000", null)));
    procedure.setSubject(new Reference().setType("Patient").setIdentifier(task.getFor().getIdentifier()));
    procedure.addBasedOn(new Reference(task.getFocus().getReference()));
    procedure.setPerformed(
        new Period()
            .setStartElement(new DateTimeType("2026-12-01T10:00:00+01:00"))
            .setEndElement(new DateTimeType("2026-12-01T11:00:00+01:00")));
    MethodOutcome created = client.create().resource(procedure).execute();
    check(Boolean.TRUE.equals(created.getCreated()), "not created (status " + created.getResponseStatusCode() + ")");
    String procedureId = created.getId().getIdPart();
    check(procedureId != null && !procedureId.isEmpty(), "no id in the Location");
    ok("Procedure/" + procedureId);

    step = "complete";
    // The Procedure has its own stream: the Task's version from the last update is still the current one.
    task.setStatus(Task.TaskStatus.COMPLETED);
    task.addOutput()
        .setType(new CodeableConcept(new Coding(SDOHCC, "resulting-activity", null)))
        .setValue(new Reference("Procedure/" + procedureId));
    task.addOutput()
        .setType(new CodeableConcept(new Coding(canonical + "/CodeSystem/task-output-type", "completion-outcome", null)))
        .setValue(
            new CodeableConcept(new Coding(canonical + "/CodeSystem/completion-outcome", "linked-to-activity", null)));
    task = update(client, task, startedVersion);
    check(task.getStatus() == Task.TaskStatus.COMPLETED, "status " + task.getStatus().toCode());
    ok("completed, version " + versionOf(task));

    step = "read-back";
    Task back = client.read().resource(Task.class).withId(id).execute();
    check(back.getStatus() == Task.TaskStatus.COMPLETED, "status " + back.getStatus().toCode());
    boolean linked =
        back.getOutput().stream()
            .anyMatch(
                o ->
                    o.getValue() instanceof Reference r
                        && ("Procedure/" + procedureId).equals(r.getReference()));
    check(linked, "no output Procedure/" + procedureId);
    Procedure read = client.read().resource(Procedure.class).withId(procedureId).execute();
    check(read.getBasedOnFirstRep().getReference().equals(task.getFocus().getReference()), "Procedure.basedOn");
    ok("Task/" + id + " completed with output Procedure/" + procedureId);
    step = "validate";
    ok(answers.verdict());
  }
}
