package dev.conductor.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The server's feature packages depend on each other one way only: jobs know nothing of routing or
 * workers, workers nothing of routing. A new cycle fails the build with the classes that close it.
 */
@AnalyzeClasses(packages = "dev.conductor", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      slices().matching("dev.conductor.(*)..").should().beFreeOfCycles();
}
