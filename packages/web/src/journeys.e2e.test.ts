// Every role's main journey in a real browser against the running system (all services in one
// process on PostgreSQL, the web app in front): a GP system refers with consent, the coordinator
// accepts and assigns, the coach works the referral from the queue to closure (contact, intake with
// the six Positieve Gezondheid scores and a goal, an activity from the social map, hold and resume,
// closure), the GP reads the feedback, the privacy officer finds the accesses in the log, checks the
// chain, reads the art. 15 report and erases the patient (after which the coach is refused, in
// Dutch, and the refusal is in the log), the municipality sees the referral counted and downloads
// the extract, and the key-user keeps the social map. Every page is checked with axe.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkPage, launchBrowser, newContext, reloadUntil, TABLET } from './testing/browser';
import { startTestSystem, type TestSystem } from './testing/platform';

jest.setTimeout(180_000);

const BSN = '999990032';
const month = () =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit' })
    .format(new Date())
    .slice(0, 7);

describe('the web application, role by role', () => {
  let system: TestSystem;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let referralUrl = '';
  let referralId = '';
  let countedBefore = 0;

  const as = async (user: string, viewport?: { width: number; height: number }): Promise<Page> => {
    const context = await newContext(browser, viewport);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${system.web.url}/aanmelden`);
    await page.locator(`#als-${user}`).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/aanmelden'));
    return page;
  };
  const flash = (page: Page) => page.locator('main .message').first().innerText();
  const monthCount = async (page: Page): Promise<number> => {
    const row = page.locator('tr', { has: page.locator(`td:text-is("${month()}")`) });
    return (await row.count()) ? Number(await row.locator('td').nth(1).innerText()) : 0;
  };

  beforeAll(async () => {
    [system, browser] = await Promise.all([startTestSystem(), launchBrowser()]);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await system?.stop();
  });

  it('sign-in: a demo user per role, no token in the browser', async () => {
    const context = await newContext(browser);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(system.web.url);
    expect(new URL(page.url()).pathname).toBe('/aanmelden');
    await checkPage(page, '01-aanmelden');
    // Keyboard only: the first Tab reaches the skip link, then Anna's button, signed in with Enter.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Naar de inhoud');
    await page.locator('#als-coach-anna').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/werkvoorraad');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'wor_session', httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).not.toMatch(/^eyJ/);
  });

  it('coordinator: the thermometer and the exact monthly count before the referral', async () => {
    const page = await as('coordinator-beterstad');
    await page.goto(`${system.web.url}/monitoring`);
    await page.getByRole('heading', { name: /Thermometer/ }).waitFor();
    countedBefore = await monthCount(page);
  });

  it('GP system (demo): refers a patient with consent', async () => {
    const page = await as('gp-system-beterschap');
    expect(new URL(page.url()).pathname).toBe('/verwijzen');
    await page.getByLabel('BSN').fill(BSN);
    await page.getByLabel('Voornaam').fill('Truus');
    await page.getByLabel('Achternaam').fill('Browsertest');
    await page.getByLabel('Geboortedatum').fill('1950-03-14');
    await page.getByLabel('Geslacht').selectOption('female');
    await page.getByLabel('Telefoon (optioneel)').fill('0611111111');
    await page.getByLabel('Eenzaamheid').check();
    await page.getByLabel('Rouw').check();
    await checkPage(page, '02-verwijzen');
    // Without the consent box the browser does not send the form at all.
    await page.getByRole('button', { name: 'Verwijzing versturen' }).click();
    expect(new URL(page.url()).pathname).toBe('/verwijzen');
    await page.getByLabel(/De patiënt geeft uitdrukkelijk toestemming/).check();
    await page.getByRole('button', { name: 'Verwijzing versturen' }).click();
    await page.waitForLoadState();
    if (!/\/verwijzen\/[0-9a-f-]{36}$/.test(page.url())) throw new Error(`not sent: ${await flash(page)}`);
    expect(await flash(page)).toContain('De verwijzing is verstuurd.');
    referralId = page.url().split('/').pop()!;
    referralUrl = `${system.web.url}/verwijzingen/${referralId}`;
    expect(await page.locator('h1').innerText()).toContain('Aangevraagd');
  });

  it("coordinator: finds it in the organisation's queue, accepts it and assigns coach Anna", async () => {
    expect(referralId).toMatch(/^[0-9a-f-]{36}$/);
    const page = await as('coordinator-beterstad');
    await page.getByLabel('Alleen zonder coach').check();
    await page.getByRole('button', { name: 'Filteren' }).click();
    const link = page.getByRole('link', { name: `Verwijzing ${referralId.slice(0, 8)}` });
    await link.waitFor();
    await checkPage(page, '03-werkvoorraad-organisatie');
    await link.click();
    await page.getByLabel('Bericht aan de verwijzer (optioneel)').first().fill('Wij nemen contact op met de patiënt.');
    await page.getByRole('button', { name: 'Verwijzing accepteren' }).click();
    expect(await flash(page)).toContain('De verwijzing is geaccepteerd.');
    await page.getByLabel('Coach', { exact: true }).selectOption('coach-anna');
    await page.getByRole('button', { name: 'Toewijzen' }).click();
    expect(await flash(page)).toContain('De coach is toegewezen.');
  });

  it('coach: works the referral from her queue to closure, on a tablet', async () => {
    const page = await as('coach-anna', TABLET);
    const link = page.getByRole('link', { name: `Verwijzing ${referralId.slice(0, 8)}` });
    await reloadUntil(page, async () => (await link.count()) > 0, "the referral in the coach's own queue");
    await checkPage(page, '04-mijn-werkvoorraad-tablet');
    await link.click();

    // Personal data only on request, under the referral service's decision, and logged.
    await page.getByRole('link', { name: 'Persoonsgegevens tonen' }).click();
    await reloadUntil(
      page,
      async () => (await page.getByText('Truus Browsertest').count()) > 0,
      'the personal details',
    );
    await checkPage(page, '05-verwijzing-persoonsgegevens');

    await page.getByLabel('Ja, contact gehad').check();
    await page.getByRole('button', { name: 'Contactpoging vastleggen' }).click();
    expect(await flash(page)).toContain('De contactpoging is vastgelegd.');

    const scores = {
      lichaamsfuncties: 6,
      'mentaal-welbevinden': 4,
      zingeving: 5,
      'kwaliteit-van-leven': 5,
      meedoen: 3,
      'dagelijks-functioneren': 7,
    };
    for (const [dimension, score] of Object.entries(scores)) await page.locator(`#ph-${dimension}`).fill(String(score));
    await page.getByLabel('Doel 1', { exact: true }).fill('Twee keer per week onder de mensen');
    await page.getByLabel('Beginniveau doel 1').selectOption('-1');
    await checkPage(page, '06-intake');
    await page.getByRole('button', { name: 'Intake vastleggen' }).click();
    expect(await flash(page)).toContain('De intake is vastgelegd.');
    expect(await page.getByRole('heading', { name: /^Intake op/ }).count()).toBe(1);

    await page.getByLabel('Zoek een activiteit').fill('wandel');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.getByRole('button', { name: 'Koppelen: Wandelgroep De Blijebuurt' }).waitFor();
    await checkPage(page, '07-activiteit-zoeken');
    await page.getByRole('button', { name: 'Koppelen: Wandelgroep De Blijebuurt' }).click();
    expect(await flash(page)).toContain('De activiteit is gekoppeld.');

    await page.getByLabel('Reden', { exact: true }).first().selectOption('patient-unwell');
    await page.getByRole('button', { name: 'Pauzeren' }).click();
    expect(await flash(page)).toContain('De verwijzing is gepauzeerd.');
    expect(await page.locator('h1').innerText()).toContain('Gepauzeerd');
    await page.getByRole('button', { name: 'Hervatten' }).click();
    expect(await flash(page)).toContain('De begeleiding is hervat.');

    await page.getByLabel('Resultaat', { exact: true }).selectOption('linked-to-activity');
    await page.getByLabel(/Doel 1 \(beginniveau -1\)|Doel: Twee keer per week/).selectOption('1');
    await page.getByLabel('Bestede uren coaching').first().fill('6');
    await page.locator('#complete-msg').fill('Mevrouw wandelt nu wekelijks mee.');
    await page.getByRole('button', { name: 'Afsluiten', exact: true }).click();
    expect(await flash(page)).toContain('De verwijzing is afgesloten.');
    expect(await page.locator('h1').innerText()).toContain('Afgerond');
    expect(await page.locator('section', { hasText: 'Terugkoppeling aan de verwijzer' }).innerText()).toContain(
      'Mevrouw wandelt nu wekelijks mee.',
    );
    await checkPage(page, '08-verwijzing-afgerond');
  });

  it('GP system: reads the feedback', async () => {
    const page = await as('gp-system-beterschap');
    await page.goto(`${system.web.url}/verwijzen/${referralId}`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Afgerond');
    for (const moment of ['Acceptatie', 'Na de intake', 'Afsluiting']) expect(text).toContain(moment);
    expect(text).toContain('Wandelgroep De Blijebuurt');
    await checkPage(page, '09-terugkoppeling-huisarts');
  });

  it('privacy officer: finds the accesses in the log, checks the chain, reads the art. 15 report and erases the patient', async () => {
    const page = await as('privacy-officer-beterstad');
    await page.getByLabel('Gebruiker').fill('coach-anna');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    const row = page.locator('tbody tr', { hasText: referralId.slice(0, 8) }).filter({ hasText: 'coach-anna' });
    await reloadUntil(page, async () => (await row.count()) > 0, "the coach's accesses in the log");
    expect(await row.first().innerText()).toContain('Toegestaan');
    await checkPage(page, '10-toegangslog');

    await page.getByRole('link', { name: 'Controle hash-keten' }).click();
    expect(await flash(page)).toContain('De keten is intact.');
    await checkPage(page, '11-hash-keten');

    await page.getByRole('link', { name: 'Overeenkomsten' }).click();
    const in30days = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Titel').fill('Browsertest-overeenkomst');
    await page.getByLabel('Geldig tot').fill(in30days);
    await page.getByRole('button', { name: 'Opslaan als concept' }).click();
    expect(await flash(page)).toContain('als concept opgeslagen');
    await page.getByRole('button', { name: 'Activeren: Browsertest-overeenkomst' }).click();
    expect(await flash(page)).toContain('De overeenkomst is actief.');
    expect(await page.locator('tr', { hasText: 'Browsertest-overeenkomst' }).innerText()).toContain(
      'Verloopt binnen 60 dagen',
    );
    await checkPage(page, '12-overeenkomsten');

    await page.getByRole('link', { name: /Patiënt: toestemming/ }).click();
    await page.getByLabel('BSN van de patiënt').fill(BSN);
    await page.getByRole('button', { name: /Toestemmingen en inzageverslag/ }).click();
    const report = await page.locator('main').innerText();
    expect(report).toContain('Toestemmingsgeschiedenis');
    expect(report).toContain('welzijn-beterstad');
    expect(report).toContain('coach-anna');
    expect(new URL(page.url()).search).toBe(''); // the BSN never in a URL
    await checkPage(page, '13-inzageverslag-art15');

    // Erasure needs the confirmation: without it nothing happens.
    await page.getByLabel('Typ ter bevestiging het BSN opnieuw').fill('123456789');
    await page.getByLabel(/Ik begrijp dat wissen niet ongedaan/).check();
    await page.getByRole('button', { name: 'Definitief wissen' }).click();
    expect(await flash(page)).toContain('Niet gewist');
    await page.getByLabel('BSN van de patiënt').fill(BSN);
    await page.getByRole('button', { name: /Toestemmingen en inzageverslag/ }).click();
    await page.getByLabel('Typ ter bevestiging het BSN opnieuw').fill(BSN);
    await page.getByLabel(/Ik begrijp dat wissen niet ongedaan/).check();
    await page.getByRole('button', { name: 'Definitief wissen' }).click();
    expect(await flash(page)).toContain('De gegevens van de patiënt zijn gewist.');
    await checkPage(page, '14-gewist-art17');
  });

  it('coach: after the erasure the referral service refuses the personal data, in Dutch; the refusal is logged', async () => {
    const page = await as('coach-anna');
    await page.goto(`${referralUrl}?gegevens=tonen`);
    await reloadUntil(page, async () => (await page.getByText('is niet toegestaan').count()) > 0, 'the refusal');
    const refusal = await page.getByRole('region', { name: 'Persoonsgegevens' }).getByRole('alert').innerText();
    expect(refusal).toContain('Geen toegang');
    expect(refusal).toMatch(/Inzage in de gegevens van deze patiënt is niet toegestaan: .*(ingetrokken|toestemming)/);
    expect(await page.getByText('Truus').count()).toBe(0);
    await checkPage(page, '15-geen-toegang');

    const officer = await as('privacy-officer-beterstad');
    await officer.getByRole('link', { name: 'Geweigerde toegang' }).click();
    const denied = officer.locator('tbody tr', { hasText: 'coach-anna' }).filter({ hasText: referralId.slice(0, 8) });
    await reloadUntil(officer, async () => (await denied.count()) > 0, 'the refusal in the log');
    expect(await denied.first().innerText()).toContain('Geweigerd');
    await checkPage(officer, '16-geweigerde-toegang');
  });

  it('coordinator sees the referral counted; the municipality sees suppressed figures only and downloads the extract', async () => {
    const coordinator = await as('coordinator-beterstad');
    await coordinator.goto(`${system.web.url}/monitoring`);
    await reloadUntil(
      coordinator,
      async () => (await monthCount(coordinator)) === countedBefore + 1,
      'the referral counted',
    );
    const page = await as('gemeente-beterstad');
    await page.goto(`${system.web.url}/monitoring`);
    await page.getByRole('heading', { name: /Thermometer/ }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain('< 10 (onderdrukt)');
    expect(text).not.toContain('Verwijzingen per maand');
    await checkPage(page, '17-monitoring');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Extract downloaden (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^wor-gala-GM9999-\d{4}-at-\d+\.csv$/);
  });

  it('key-user: searches the map, changes capacity, publishes a service, appoints a colleague, reads the statistics', async () => {
    const page = await as('keyuser-beterstad');
    await page.getByLabel('Zoekterm').fill('wandel');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.getByRole('link', { name: 'Wandelgroep De Blijebuurt' }).click();
    await page.getByLabel('Beschikbaarheid').selectOption('limited');
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    expect(await flash(page)).toContain('De capaciteit is bijgewerkt.');
    await reloadUntil(
      page,
      async () => (await page.locator('h1').innerText()).includes('Beperkt plaats'),
      'the new capacity',
    );
    await page.getByRole('button', { name: 'Gecontroleerd' }).click();
    expect(await flash(page)).toContain('De controledatum is bijgewerkt.');
    await page.getByLabel('Omschrijving').fill('Elke dinsdag- en donderdagochtend samen wandelen door de wijk.');
    await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
    expect(await flash(page)).toContain('De wijzigingen zijn opgeslagen.');
    expect(await page.locator('main').innerText()).toContain('dinsdag- en donderdagochtend');
    await checkPage(page, '18-sociale-kaart-dienst');

    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Sociale kaart' }).click();
    await page.getByRole('link', { name: 'Nieuwe dienst' }).click();
    await page.getByLabel('Naam').fill('Samen Koken Beterstad');
    await page.getByLabel('Omschrijving').fill('Wekelijks samen koken en eten in het buurthuis.');
    await page.getByLabel('Meedoen').check();
    await page.getByLabel('Eenzaamheid').check();
    await page.getByRole('button', { name: 'Publiceren' }).click();
    expect(await flash(page)).toContain('De dienst staat op de sociale kaart.');

    await page.getByRole('link', { name: '← Terug naar de sociale kaart' }).click();
    await page.getByLabel('Zoekterm').fill('koken');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.getByRole('link', { name: 'Samen Koken Beterstad' }).waitFor();
    await checkPage(page, '19-sociale-kaart-zoeken');

    await page.getByRole('link', { name: 'Organisaties' }).click();
    await page.locator('#n-name').fill('Buurthuis De Zon');
    await page.locator('#n-desc').fill('Buurthuis in de blijebuurt.');
    await page.getByRole('button', { name: 'Registreren' }).click();
    expect(await flash(page)).toContain('De organisatie is geregistreerd.');
    const zon = page.locator('tr', { hasText: 'Buurthuis De Zon' });
    await zon.getByLabel('Omschrijving').fill('Buurthuis met koffieochtend en moestuin.');
    await zon.getByRole('button', { name: 'Opslaan: Buurthuis De Zon' }).click();
    expect(await flash(page)).toContain('De organisatie is bijgewerkt.');
    expect(await page.locator('tr', { hasText: 'Buurthuis De Zon' }).locator('input').nth(1).inputValue()).toBe(
      'Buurthuis met koffieochtend en moestuin.',
    );

    await page.getByRole('link', { name: 'Key-users' }).click();
    await page.getByLabel('Account van de collega').fill('keyuser-collega');
    await page.getByRole('button', { name: 'Benoemen' }).click();
    expect(await flash(page)).toContain('De collega is benoemd tot key-user.');
    expect(await page.locator('tbody').innerText()).toContain('keyuser-collega');
    await checkPage(page, '20-key-users');

    await page.getByRole('link', { name: 'Statistieken' }).click();
    const wandel = page.locator('tbody tr', { hasText: 'Wandelgroep De Blijebuurt' });
    await reloadUntil(
      page,
      async () => (await wandel.count()) > 0 && (await wandel.locator('td').nth(2).innerText()) === '1',
      'the linked activity counted',
    );
    await checkPage(page, '21-statistieken');
  });
});
