package io.raftkv.raft;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Raft core must stay a pure, deterministic state machine: JDK only, no I/O, no threads or
 * locks, no wall clock, no ambient randomness. Checked on the bytecode (ArchUnit) and on the source
 * (for things bytecode hides, like {@code synchronized} blocks and comments aside).
 */
class CorePurityTest {
  private static final Path SOURCES = Path.of("src/main/java/io/raftkv/raft");

  /** Forbidden source constructs, each with the reason it is banned. */
  private static final List<Pattern> FORBIDDEN = List.of(
      Pattern.compile("\\bimport\\s+(static\\s+)?(jakarta|javax|io\\.grpc|com\\.sleepycat|java\\.io|java\\.nio)\\."),
      Pattern.compile("\\bimport\\s+(static\\s+)?java\\.util\\.concurrent\\b"),
      Pattern.compile("\\bimport\\s+(static\\s+)?(?!io\\.raftkv\\.raft)(?!java\\.)\\w+(\\.\\w+)*\\s*;"),
      Pattern.compile("\\b(jakarta|io\\.grpc|com\\.sleepycat|java\\.io|java\\.nio)\\.\\w"),
      Pattern.compile("\\bsynchronized\\b"),
      Pattern.compile("\\b(Thread|ThreadLocal|ExecutorService|Executors|CompletableFuture|ReentrantLock)\\b"),
      Pattern.compile("\\bSystem\\s*\\.\\s*(currentTimeMillis|nanoTime)\\b"),
      Pattern.compile("\\b(Instant|Clock|LocalDateTime)\\s*\\.\\s*now\\b"),
      Pattern.compile("\\bMath\\s*\\.\\s*random\\b"),
      Pattern.compile("\\bnew\\s+(java\\.util\\.)?(Random|SplittableRandom|SecureRandom)\\s*\\("),
      Pattern.compile("\\b(ThreadLocalRandom|RandomGenerator\\s*\\.\\s*(getDefault|of))\\b"));

  static List<String> violations(String source) {
    String code = stripComments(source);
    List<String> found = new ArrayList<>();
    for (Pattern p : FORBIDDEN) {
      var m = p.matcher(code);
      while (m.find()) found.add(m.group());
    }
    return found;
  }

  private static String stripComments(String s) {
    return s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
  }

  @Test
  void sourcesUseOnlyTheJdkAndNoClocksThreadsOrIo() throws IOException {
    List<String> problems = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String v : violations(Files.readString(f))) problems.add(f.getFileName() + ": " + v);
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void scannerCatchesEachForbiddenConstruct() {
    assertThat(violations("import java.io.File;")).isNotEmpty();
    assertThat(violations("import java.nio.ByteBuffer;")).isNotEmpty();
    assertThat(violations("import jakarta.inject.Inject;")).isNotEmpty();
    assertThat(violations("import com.google.common.collect.Lists;")).isNotEmpty();
    assertThat(violations("import java.util.concurrent.locks.ReentrantLock;")).isNotEmpty();
    assertThat(violations("synchronized (this) { }")).isNotEmpty();
    assertThat(violations("long t = System.currentTimeMillis();")).isNotEmpty();
    assertThat(violations("long t = System.nanoTime();")).isNotEmpty();
    assertThat(violations("double d = Math.random();")).isNotEmpty();
    assertThat(violations("var r = new java.util.Random(1);")).isNotEmpty();
    assertThat(violations("new Thread(() -> {}).start();")).isNotEmpty();
    assertThat(violations("import java.util.List; // System.nanoTime() in a comment is fine")).isEmpty();
  }

  @Test
  void bytecodeDependsOnNothingButTheJdkCore() {
    // Only this package's own class files are needed; resolving the JDK from the classpath is slow.
    com.tngtech.archunit.ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPath(Path.of("target/classes/io/raftkv/raft"));
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "jakarta..", "javax..", "io.grpc..", "com.sleepycat..", "java.nio..", "java.util.concurrent..")
        .check(core);
    noClasses().should().dependOnClassesThat().resideInAPackage("java.io")
        .andShould().dependOnClassesThat().areAssignableTo(Thread.class)
        .check(core.that(com.tngtech.archunit.base.DescribedPredicate.describe("not an exception or enum",
            c -> !c.isEnum() && !c.isAssignableTo(Throwable.class))));
    noClasses().should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(Math.class, "random")
        .check(core);
    assertThat(core.size()).isGreaterThan(15);
    com.tngtech.archunit.ArchConfiguration.get().reset();
  }
}
