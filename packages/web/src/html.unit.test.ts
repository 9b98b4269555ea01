import { html, raw, toString } from './html';
import { dutchDetail, problemOf } from './problems';
import { stepBody } from './pages/work';
import { serviceInputFrom } from './pages/social-map';

describe('html templates', () => {
  it('escapes every interpolated value, nested templates and raw markup stay as they are', () => {
    const name = '<script>alert("x")</script> & \'co\'';
    expect(toString(html`<p title="${name}">${name}</p>`)).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>',
    );
    expect(toString(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`)).toBe(
      '<ul><li>a&lt;</li><li>b</li></ul>',
    );
    expect(toString(html`${raw('<b>ok</b>')}${null}${undefined}${false}${0}`)).toBe('<b>ok</b>0');
  });
});

describe('problem details in Dutch', () => {
  it("translates the referral service's access refusal with its reason", () => {
    expect(
      dutchDetail(
        "Access to this patient's data is not permitted: no active data-sharing agreement between welzijn-beterstad and huisarts-beterschap for purpose wor-coaching and data category contact-details.",
      ),
    ).toBe(
      'Inzage in de gegevens van deze patiënt is niet toegestaan: er is geen actieve samenwerkingsovereenkomst tussen welzijn-beterstad en huisarts-beterschap voor doel wor-coaching en gegevenscategorie contact-details.',
    );
    expect(dutchDetail("Access to this patient's data is not permitted: the consent was withdrawn.")).toBe(
      'Inzage in de gegevens van deze patiënt is niet toegestaan: de patiënt heeft de toestemming ingetrokken.',
    );
  });

  it('names the status of a step that is not allowed, in Dutch', () => {
    expect(dutchDetail('Cannot record an intake on a referral that is requested; allowed when in-progress.')).toBe(
      'Deze stap kan niet bij een verwijzing met status "Aangevraagd" (toegestaan bij: In behandeling).',
    );
  });

  it('quotes an unknown detail and keeps every field path of a 422', () => {
    const p = problemOf(422, {
      title: 'Unprocessable Content',
      detail: 'Something new.',
      errors: [{ path: 'positiveHealth.zingeving', message: 'Required' }],
    });
    expect(p.title).toBe('Niet alle gegevens zijn juist ingevuld');
    expect(p.detail).toBe('Melding van de service: "Something new."');
    expect(p.errors).toEqual([{ path: 'positiveHealth.zingeving', message: 'verplicht (Required)' }]);
    expect(problemOf(502, '').title).toBe('De service is niet bereikbaar');
  });
});

describe('form to service body', () => {
  it('builds the intake: six scores, goals with text only, empty scores left out for the service to name', () => {
    const body = stepBody('intake', {
      heldOn: '2026-11-20',
      'ph-lichaamsfuncties': '5',
      'ph-mentaal-welbevinden': '4',
      'ph-zingeving': '6',
      'ph-kwaliteit-van-leven': '5',
      'ph-meedoen': '3',
      'ph-dagelijks-functioneren': '',
      'goal-1': 'Weer wandelen',
      'goal-1-base': '-1',
      'goal-2': '',
      'goal-2-base': '0',
      feedbackMessage: '',
    });
    expect(body).toEqual({
      heldOn: '2026-11-20',
      positiveHealth: {
        lichaamsfuncties: 5,
        'mentaal-welbevinden': 4,
        zingeving: 6,
        'kwaliteit-van-leven': 5,
        meedoen: 3,
        'dagelijks-functioneren': undefined,
      },
      goals: [{ text: 'Weer wandelen', baseline: -1 }],
      feedbackMessage: undefined,
    });
  });

  it('builds the closure with a GAS score per goal and no end scores when none were given', () => {
    expect(
      stepBody('complete', { outcome: 'goals-reached', 'gas-g1': '1', coachHours: '6,5', feedbackMessage: 'Klaar' }),
    ).toEqual({
      outcome: 'goals-reached',
      positiveHealth: null,
      gasScores: [{ goalId: 'g1', score: 1 }],
      coachHours: 6.5,
      feedbackMessage: 'Klaar',
    });
  });

  it('turns a stored social-map document back into the input the service accepts: output-only fields dropped, imported HSDS fields kept', () => {
    const costOptions = [{ id: 'c1', option: 'gratis', amount: 0, currency: 'EUR', service_id: 's1' }];
    const funding = [{ id: 'f1', source: 'Gemeente Beterstad' }];
    const input = serviceInputFrom({
      id: 's1',
      organization_id: 'o1',
      name: 'Wandelen',
      description: 'x',
      stale: false,
      municipality: 'GM9999',
      free_of_charge: true,
      organization: { id: 'o1' },
      funding,
      cost_options: costOptions,
    });
    expect(input).toEqual({
      id: 's1',
      organization_id: 'o1',
      name: 'Wandelen',
      description: 'x',
      funding,
      cost_options: costOptions,
    });
  });
});
