package wor;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Task;

/**
 * The Gravity referral-source journey of a GP system, by HAPI FHIR's generic client in its default mode (it
 * reads /metadata before its first request). Arguments: base URL, bearer token, the patient's BSN, the id of
 * their consent; optionally the practice and the welfare organisation (huisarts-beterschap, welzijn-beterstad).
 * Creates a referral by two creates (ServiceRequest, then Task) and one by transaction; reads, vreads,
 * searches with _include; cancels with If-Match; reads back. One line per step on stdout; exit 1 on the
 * first failure.
 *
 * <p>With {@code --subscribe=HOOK_URL} it first subscribes to the server's Task topic (R4 Subscription with
 * the Subscriptions Backport extensions: filter Task?requester=the practice, rest-hook to HOOK_URL, id-only)
 * and waits until the server made it active (after its handshake). After the journey it then follows
 * notifications: each stdin line "FOCUS_URL TIMESTAMP" (the focus and timestamp of a notification-event the
 * hook received) is read (the Task) and searched (Task?requester=…&_lastUpdated=geTIMESTAMP), one
 * "ok follow" line each; at the end of stdin "done".
 */
public final class SourceJourney {
  private static final String ORGANISATION = "urn:wor:organisation-id";
  private static final String BSN = "http://fhir.nl/fhir/NamingSystem/bsn";
  private static final String SNOMED = "http://snomed.info/sct";
  private static final String BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport";

  private final IGenericClient client;
  private final String canonical;
  private final String bsn;
  private final String consentId;
  private final String practice;
  private final String recipient;
  private String txId;

  private SourceJourney(IGenericClient client, String canonical, String[] args) {
    this.client = client;
    this.canonical = canonical;
    this.bsn = args[2];
    this.consentId = args[3];
    this.practice = args.length > 4 ? args[4] : "huisarts-beterschap";
    this.recipient = args.length > 5 ? args[5] : "welzijn-beterstad";
  }

  public static void main(String[] argv) {
    String hook = null;
    List<String> positional = new ArrayList<>();
    for (String arg : argv) {
      if (arg.startsWith("--subscribe=")) hook = arg.substring("--subscribe=".length());
      else positional.add(arg);
    }
    String[] args = positional.toArray(new String[0]);
    if (args.length < 4) {
      System.err.println("usage: SourceJourney [--subscribe=HOOK_URL] BASE_URL TOKEN BSN CONSENT_ID [PRACTICE] [RECIPIENT]");
      System.exit(2);
    }
    try {
      FhirContext context = FhirContext.forR4();
      IGenericClient client = context.newRestfulGenericClient(args[0]);
      client.registerInterceptor(new BearerTokenAuthInterceptor(args[1]));
      ResponseValidator answers = new ResponseValidator(context);
      client.registerInterceptor(answers);
      // Our CodeSystems and extensions live under the server's canonical base, as its CapabilityStatement says.
      CapabilityStatement cs = client.capabilities().ofType(CapabilityStatement.class).execute();
      check(cs.getFhirVersion().toCode().equals("4.0.1"), "fhirVersion 4.0.1, got " + cs.getFhirVersion().toCode());
      String canonical = cs.getUrl().replaceAll("/CapabilityStatement/[^/]+$", "");
      step("metadata", cs.getUrl());
      SourceJourney journey = new SourceJourney(client, canonical, args);
      if (hook != null) journey.subscribe(hook);
      journey.run();
      if (hook != null) journey.follow();
      step("validate", answers.verdict());
      step("done", "the referral-source journey completed");
    } catch (Throwable e) {
      System.out.println("FAIL\t" + e.getClass().getSimpleName() + ": " + e.getMessage());
      System.out.flush();
      System.exit(1);
    }
  }

  private void run() {
    // 1. Two creates: the ServiceRequest, then its Task.
    MethodOutcome createdSr = client.create().resource(serviceRequest()).execute();
    check(Boolean.TRUE.equals(createdSr.getCreated()), "ServiceRequest create answered 201");
    IIdType srId = createdSr.getId();
    check(srId.hasVersionIdPart(), "ServiceRequest Location carries a version: " + srId);
    step("create ServiceRequest", "201 " + srId.getValue());
    String id = srId.getIdPart();

    MethodOutcome createdTask = client.create().resource(task("ServiceRequest/" + id)).execute();
    check(Boolean.TRUE.equals(createdTask.getCreated()), "Task create answered 201");
    IIdType taskId = createdTask.getId();
    check(taskId.getIdPart().equals(id), "the Task has the referral id " + id + ", got " + taskId);
    step("create Task", "201 " + taskId.getValue());

    // A second create is refused; the conditional one is answered with the Task that exists.
    try {
      client.create().resource(task("ServiceRequest/" + id)).execute();
      throw new IllegalStateException("a second Task create was accepted");
    } catch (ResourceVersionConflictException e) {
      step("create Task again", "409 refused");
    }
    MethodOutcome conditional =
        client
            .create()
            .resource(task("ServiceRequest/" + id))
            .conditional()
            .where(Task.FOCUS.hasId("ServiceRequest/" + id))
            .execute();
    check(!Boolean.TRUE.equals(conditional.getCreated()), "If-None-Exist answered 200, not 201");
    step("create Task If-None-Exist", "200 " + conditional.getId().getValue());

    // 2. Both at once, by transaction.
    String srUrn = "urn:uuid:" + UUID.randomUUID();
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    transaction
        .addEntry()
        .setFullUrl(srUrn)
        .setResource(serviceRequest())
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("ServiceRequest");
    transaction
        .addEntry()
        .setFullUrl("urn:uuid:" + UUID.randomUUID())
        .setResource(task(srUrn))
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Task");
    Bundle response = client.transaction().withBundle(transaction).execute();
    check(response.getType() == Bundle.BundleType.TRANSACTIONRESPONSE, "a transaction-response");
    String txId = null;
    for (Bundle.BundleEntryComponent entry : response.getEntry()) {
      check(entry.getResponse().getStatus().startsWith("201"), "201 per entry: " + entry.getResponse().getStatus());
      IdType location = new IdType(entry.getResponse().getLocation());
      Class<? extends org.hl7.fhir.r4.model.Resource> type =
          location.getResourceType().equals("Task") ? Task.class : ServiceRequest.class;
      client.read().resource(type).withIdAndVersion(location.getIdPart(), location.getVersionIdPart()).execute();
      txId = location.getIdPart();
    }
    step("transaction", "201 ServiceRequest and Task " + txId + ", locations resolve");
    this.txId = txId;

    // 3. Read, vread the created version, search by requester with _include=Task:focus.
    Task read = client.read().resource(Task.class).withId(id).execute();
    check(read.getStatus() == Task.TaskStatus.REQUESTED, "read Task is requested");
    step("read Task", read.getStatus().toCode() + " version " + read.getMeta().getVersionId());
    Task vread =
        client.read().resource(Task.class).withIdAndVersion(id, taskId.getVersionIdPart()).execute();
    check(
        vread.getMeta().getVersionId().equals(taskId.getVersionIdPart()),
        "vread gives version " + taskId.getVersionIdPart());
    step("vread Task", taskId.getValue());
    ServiceRequest sr =
        client.read().resource(ServiceRequest.class).withIdAndVersion(id, srId.getVersionIdPart()).execute();
    check(sr.getStatus() == ServiceRequest.ServiceRequestStatus.ACTIVE, "ServiceRequest active");
    step("vread ServiceRequest", srId.getValue());

    Bundle found =
        client
            .search()
            .forResource(Task.class)
            .where(new TokenClientParam("requester:identifier").exactly().systemAndCode(ORGANISATION, practice))
            .and(new TokenClientParam("_id").exactly().codes(id, txId))
            .include(Task.INCLUDE_FOCUS)
            .returnBundle(Bundle.class)
            .execute();
    long matches = found.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH).count();
    long included =
        found.getEntry().stream()
            .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
            .filter(e -> e.getResource() instanceof ServiceRequest)
            .count();
    check(matches == 2 && included == 2, "2 Tasks and their 2 ServiceRequests, got " + matches + " and " + included);
    step("search Task?requester:identifier&_include=Task:focus", matches + " matches, " + included + " included");

    // 4. Cancel: the Task as read, status cancelled. A versioned id makes HAPI send If-Match (the server needs it).
    read.setStatus(Task.TaskStatus.CANCELLED);
    String version = read.getMeta().getVersionId();
    MethodOutcome updated = client.update().resource(read).withId(new IdType("Task", id, version)).execute();
    step("cancel Task (If-Match version " + version + ")", "200 " + updated.getId().getValue());

    // 5. Read back.
    Task back = client.read().resource(Task.class).withId(id).execute();
    check(back.getStatus() == Task.TaskStatus.CANCELLED, "Task read back cancelled, got " + back.getStatus());
    ServiceRequest srBack = client.read().resource(ServiceRequest.class).withId(id).execute();
    check(
        srBack.getStatus() == ServiceRequest.ServiceRequestStatus.REVOKED,
        "ServiceRequest read back revoked, got " + srBack.getStatus());
    step("read back", "Task cancelled, ServiceRequest revoked, version " + back.getMeta().getVersionId());
  }

  /** Subscribes to the Task topic for the practice's own Tasks; waits until the server activated it. */
  private void subscribe(String hook) throws InterruptedException {
    Subscription subscription = new Subscription();
    subscription.getMeta().addProfile(BACKPORT + "/StructureDefinition/backport-subscription");
    subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
    subscription.setReason("Changes of our referrals");
    subscription.setCriteria(canonical + "/SubscriptionTopic/task-changes");
    subscription
        .getCriteriaElement()
        .addExtension(BACKPORT + "/StructureDefinition/backport-filter-criteria", new StringType("Task?requester=" + practice));
    Subscription.SubscriptionChannelComponent channel = subscription.getChannel();
    channel.setType(Subscription.SubscriptionChannelType.RESTHOOK).setEndpoint(hook).setPayload("application/fhir+json");
    channel
        .getPayloadElement()
        .addExtension(BACKPORT + "/StructureDefinition/backport-payload-content", new CodeType("id-only"));
    channel.addHeader("Authorization: Bearer gp-receiver-token");
    MethodOutcome created = client.create().resource(subscription).execute();
    check(Boolean.TRUE.equals(created.getCreated()), "Subscription create answered 201");
    String id = created.getId().getIdPart();
    // The server activates it once its handshake reached the hook: poll with a deadline.
    long deadline = System.currentTimeMillis() + 10_000;
    Subscription read;
    do {
      read = client.read().resource(Subscription.class).withId(id).execute();
      if (read.getStatus() == Subscription.SubscriptionStatus.ACTIVE) break;
      Thread.sleep(20);
    } while (System.currentTimeMillis() < deadline);
    check(read.getStatus() == Subscription.SubscriptionStatus.ACTIVE, "Subscription active, got " + read.getStatus());
    step("subscribe", "Subscription/" + id + " active");
  }

  /**
   * For each notification the hook got (stdin: "FOCUS_URL TIMESTAMP"): reads the focus Task and finds it by
   * search since the notification's timestamp, with the same version; one line "ok follow ID STATUS VERSION".
   */
  private void follow() throws Exception {
    step("follow", "transaction Task " + txId);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null && !line.isBlank(); ) {
      String[] parts = line.trim().split("\\s+");
      Task task = client.read().resource(Task.class).withUrl(parts[0]).execute();
      String id = task.getIdElement().getIdPart();
      String version = task.getMeta().getVersionId();
      Bundle found =
          client
              .search()
              .forResource(Task.class)
              .where(Task.REQUESTER.hasId(practice))
              .lastUpdated(new DateRangeParam(Date.from(Instant.parse(parts[1])), null))
              .returnBundle(Bundle.class)
              .execute();
      boolean inSearch =
          found.getEntry().stream()
              .map(e -> (Task) e.getResource())
              .filter(t -> t != null && t.getIdElement().getIdPart().equals(id))
              .anyMatch(t -> t.getStatus() == task.getStatus() && version.equals(t.getMeta().getVersionId()));
      check(inSearch, "Task/" + id + " " + task.getStatus().toCode() + " in Task?requester&_lastUpdated=ge" + parts[1]);
      step("follow", id + " " + task.getStatus().toCode() + " " + version);
    }
  }

  private ServiceRequest serviceRequest() {
    Patient patient = new Patient();
    patient.setId("patient");
    patient.addIdentifier(new Identifier().setSystem(BSN).setValue(bsn));
    patient.addName().setUse(org.hl7.fhir.r4.model.HumanName.NameUse.OFFICIAL).setFamily("Voorbeeld").addGiven("Jet");
    patient.setBirthDateElement(new DateType("1955-04-12"));
    patient.setGender(AdministrativeGender.FEMALE);
    patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+31 6 12345678");

    ServiceRequest sr = new ServiceRequest();
    sr.getMeta().addProfile("http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-ServiceRequest");
    sr.addContained(patient);
    sr.addExtension(
        canonical + "/StructureDefinition/municipality",
        new Coding(canonical + "/CodeSystem/cbs-municipality", "GM0363", null));
    sr.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
    sr.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    sr.setCode(new CodeableConcept(new Coding(SNOMED, "871731000000106", "Referral to social prescribing service")));
    sr.setSubject(new Reference("#patient"));
    Reference requester = organisation(practice);
    requester.addExtension(
        canonical + "/StructureDefinition/referrer-role",
        new Coding(canonical + "/CodeSystem/referrer-role", "huisarts", null));
    sr.setRequester(requester);
    sr.setPerformer(List.of(organisation(recipient)));
    sr.addReasonCode(new CodeableConcept(new Coding(canonical + "/CodeSystem/referral-reason", "eenzaamheid", null)));
    sr.addSupportingInfo(new Reference("Consent/" + consentId));
    return sr;
  }

  private Task task(String focus) {
    Task task = new Task();
    task.getMeta()
        .addProfile("http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-TaskForReferralManagement");
    task.setStatus(Task.TaskStatus.REQUESTED);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", null)));
    task.setFocus(new Reference(focus));
    task.setRequester(organisation(practice));
    task.setOwner(organisation(recipient));
    return task;
  }

  private static Reference organisation(String id) {
    return new Reference().setType("Organization").setIdentifier(new Identifier().setSystem(ORGANISATION).setValue(id));
  }

  private static void step(String name, String detail) {
    System.out.println("ok\t" + name + "\t" + detail);
    System.out.flush();
  }

  private static void check(boolean condition, String what) {
    if (!condition) throw new IllegalStateException("expected " + what);
  }
}
