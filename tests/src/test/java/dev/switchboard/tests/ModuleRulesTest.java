package dev.switchboard.tests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module rules of the design, checked on the compiled classes of every module: arrows point toward the
 * plugin contract, channels stand alone, only the inference module sees DJL and only the app sees the stores.
 */
class ModuleRulesTest {
  private static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.switchboard");

  @Test
  void thePluginContractDependsOnNoImplementation() {
    noClasses().that().resideInAPackage("dev.switchboard.spi..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.app..", "dev.switchboard.channels..",
            "dev.switchboard.inference..", "dev.switchboard.skills..")
        .check(ALL);
  }

  @Test
  void channelsDependOnNeitherTheAppNorEachOther() {
    noClasses().that().resideInAPackage("dev.switchboard.channels..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.app..", "dev.switchboard.inference..",
            "dev.switchboard.skills..")
        .check(ALL);
    slices().matching("dev.switchboard.channels.(*)..").should().notDependOnEachOther().check(ALL);
  }

  @Test
  void theAppKnowsChannelsOnlyThroughTheirSharedContract() {
    // channels are found with ServiceLoader: adding one touches no class of the app
    noClasses().that().resideInAPackage("dev.switchboard.app..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.channels.*..")
        .check(ALL);
  }

  @Test
  void skillsAndInferenceDependOnlyOnTheContract() {
    noClasses().that().resideInAnyPackage("dev.switchboard.skills..", "dev.switchboard.inference..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.app..", "dev.switchboard.channels..")
        .check(ALL);
  }

  @Test
  void onlyTheInferenceModuleSeesDjl() {
    noClasses().that().resideOutsideOfPackage("dev.switchboard.inference..")
        .should().dependOnClassesThat().resideInAPackage("ai.djl..")
        .check(ALL);
  }

  @Test
  void onlyTheAppSeesPostgresqlAndRedis() {
    noClasses().that().resideOutsideOfPackage("dev.switchboard.app..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx.pgclient..", "io.vertx.sqlclient..",
            "io.vertx.redis..")
        .check(ALL);
  }
}
