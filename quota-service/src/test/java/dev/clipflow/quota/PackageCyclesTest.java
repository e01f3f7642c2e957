package dev.clipflow.quota;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * quota-service's features ({@code account}, {@code alert}, {@code reservation}, {@code usage}, ...) depend on
 * each other one way only: a cycle between two of them (the MongoDB document's field names once lived in
 * {@code usage} and were used by {@code alert} and {@code reservation}, which {@code usage} calls) fails here.
 */
class PackageCyclesTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.clipflow.quota");

    @Test
    void featuresHaveNoCycles() {
        slices().matching("dev.clipflow.quota.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.clipflow.quota.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
