package dev.switchboard.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The app's package rules, checked on the compiled classes: a broken rule fails the build. */
class PackageRulesTest {
  private static final JavaClasses APP = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.switchboard.app");

  @Test
  void noCyclesBetweenPackages() {
    slices().matching("dev.switchboard.app.(*)..").should().beFreeOfCycles().check(APP);
  }

  @Test
  void onlyTheWiringSeesTheWholeApp() {
    noClasses().that().resideOutsideOfPackage("dev.switchboard.app")
        .should().dependOnClassesThat().resideInAPackage("dev.switchboard.app")
        .check(APP);
  }

  @Test
  void shardOwnershipAndGroupCommitStandAlone() {
    noClasses().that().resideInAnyPackage("dev.switchboard.app.shard..", "dev.switchboard.app.batch..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.app.pipeline..",
            "dev.switchboard.app.session..", "dev.switchboard.app.ingress..", "dev.switchboard.app.outbox..")
        .check(APP);
  }
}
