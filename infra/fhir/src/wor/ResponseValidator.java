package wor;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A client interceptor that keeps every answer body the journey's client receives, to validate them against
 * base R4 (HAPI's FhirInstanceValidator, offline). Every error counts except the IG profiles in meta.profile
 * that cannot be loaded without a package server (SDOHCC, Subscriptions Backport).
 */
public final class ResponseValidator {
  private final FhirValidator validator;
  private final List<String[]> answers = new ArrayList<>();

  public ResponseValidator(FhirContext context) {
    this.validator = Validate.baseR4(context);
  }

  @Hook(Pointcut.CLIENT_RESPONSE)
  public void response(IHttpRequest request, IHttpResponse response) throws IOException {
    response.bufferEntity();
    String body;
    try (Reader reader = response.createReader()) {
      StringWriter out = new StringWriter();
      reader.transferTo(out);
      body = out.toString();
    }
    if (!body.isBlank()) answers.add(new String[] {request.getHttpVerbName() + " " + request.getUri(), body});
  }

  /**
   * Validates what was kept (after the journey, so the checks do not slow its steps) and throws naming the
   * first errors, if any; else says how many answers were checked.
   */
  public String verdict() {
    List<String> errors = new ArrayList<>();
    for (String[] answer : answers)
      for (SingleValidationMessage m : validator.validateWithResult(answer[1]).getMessages()) {
        if (m.getSeverity().ordinal() < ResultSeverityEnum.ERROR.ordinal()) continue;
        String text = m.getMessage();
        boolean igProfile =
            (text.contains("sdoh-clinicalcare") || text.contains("subscriptions-backport"))
                && (text.contains("could not be found") || text.contains("Failed to retrieve profile"));
        if (!igProfile) errors.add(answer[0] + " " + m.getLocationString() + ": " + text);
      }
    if (!errors.isEmpty())
      throw new IllegalStateException(
          errors.size()
              + " validation errors in the answers, first: "
              + String.join(" | ", errors.subList(0, Math.min(3, errors.size()))));
    return answers.size() + " answers valid against base R4";
  }
}
