package io.raftkv;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Enforces the room plan of docs/architecture.md §1: each package imports only the packages its job needs, so the
 * Raft core stays pure and the boundary layers stay thin.
 */
class PackageDependencyTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.raftkv");
  }

  @Test
  void storageDependsOnlyOnRaft() {
    noClasses().that().resideInAPackage("io.raftkv.storage..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.raftkv.transport..", "io.raftkv.kv..", "io.raftkv.node..", "io.raftkv.api..",
            "io.raftkv.boot..", "jakarta..", "io.grpc..")
        .check(classes);
  }

  @Test
  void transportDependsOnlyOnRaft() {
    noClasses().that().resideInAPackage("io.raftkv.transport..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.raftkv.storage..", "io.raftkv.kv..", "io.raftkv.node..", "io.raftkv.api..",
            "io.raftkv.boot..", "jakarta..", "com.sleepycat..")
        .check(classes);
  }

  @Test
  void nodeDoesNotKnowTheApplicationOrTheBoundary() {
    noClasses().that().resideInAPackage("io.raftkv.node..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.raftkv.kv..", "io.raftkv.api..", "io.raftkv.boot..", "jakarta..")
        .check(classes);
  }

  @Test
  void kvDoesNotTouchInfrastructureDirectly() {
    noClasses().that().resideInAPackage("io.raftkv.kv..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.raftkv.storage..", "io.raftkv.transport..", "io.raftkv.api..", "io.raftkv.boot..",
            "jakarta..", "io.grpc..", "com.sleepycat..")
        .check(classes);
  }

  @Test
  void apiTalksOnlyToTheServiceLayer() {
    noClasses().that().resideInAPackage("io.raftkv.api..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.raftkv.raft..", "io.raftkv.storage..", "io.raftkv.transport..", "io.raftkv.boot..",
            "io.grpc..", "com.sleepycat..")
        .check(classes);
  }

  /**
   * target/raftkv-early.jar (pom.xml, execution early-agent) runs these on the JVM's class path before
   * the server boots, where no Jakarta or MicroProfile API exists.
   */
  @Test
  void theEarlyStartAgentsClassesNeedNoPlatformApi() {
    noClasses().that().resideInAnyPackage("io.raftkv.raft..", "io.raftkv.storage..", "io.raftkv.transport..",
            "io.raftkv.kv..", "io.raftkv.node..")
        .or().haveFullyQualifiedName("io.raftkv.boot.EarlyStart")
        .or().haveFullyQualifiedName("io.raftkv.boot.EarlyHttp")
        .or().haveFullyQualifiedName("io.raftkv.boot.NodeAssembly")
        .or().haveFullyQualifiedName("io.raftkv.boot.FatalExit")
        .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "org.eclipse.microprofile..",
            "io.raftkv.api..")
        .check(classes);
  }
}
