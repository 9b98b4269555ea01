package wor;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

/**
 * Validates FHIR R4 JSON files with HAPI FHIR's FhirInstanceValidator against base R4, offline (no package
 * server, no terminology server). Prints one tab-separated line per error or warning:
 * file, severity, location, message. Exit code 0; the caller decides what counts.
 */
public final class Validate {
  /** The instance validator against base R4 only: what can be checked without a package server. */
  public static FhirValidator baseR4(FhirContext context) {
    ValidationSupportChain chain =
        new ValidationSupportChain(
            new DefaultProfileValidationSupport(context),
            new CommonCodeSystemsTerminologyService(context),
            new InMemoryTerminologyServerValidationSupport(context),
            new SnapshotGeneratingValidationSupport(context));
    FhirInstanceValidator module = new FhirInstanceValidator(chain);
    module.setNoTerminologyChecks(false);
    return context.newValidator().registerValidatorModule(module);
  }

  public static void main(String[] args) throws Exception {
    FhirValidator validator = baseR4(FhirContext.forR4());
    for (String file : args) {
      String json = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      for (SingleValidationMessage m : validator.validateWithResult(json).getMessages()) {
        if (m.getSeverity().ordinal() < ResultSeverityEnum.WARNING.ordinal()) continue;
        String text = m.getMessage().replace('\t', ' ').replace('\n', ' ');
        System.out.println(file + "\t" + m.getSeverity().getCode() + "\t" + m.getLocationString() + "\t" + text);
      }
    }
    System.out.flush();
  }
}
