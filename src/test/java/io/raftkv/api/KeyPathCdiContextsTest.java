package io.raftkv.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * WEB-INF/web.xml keeps CDI's request, session and conversation contexts off for {@code /kv/...}
 * (docs/architecture.md, "CDI contexts on the key path"). That is only safe while nothing of ours is
 * scoped narrower than the application: this test fails when such a scope appears, or when the pattern
 * stops covering exactly the key paths.
 */
class KeyPathCdiContextsTest {
  private static final Path WEB_XML = Path.of("src", "main", "webapp", "WEB-INF", "web.xml");

  @Test
  void noBeanIsScopedNarrowerThanTheApplication() {
    noClasses().should().dependOnClassesThat().haveFullyQualifiedName("jakarta.enterprise.context.RequestScoped")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("jakarta.enterprise.context.SessionScoped")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("jakarta.enterprise.context.ConversationScoped")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("jakarta.enterprise.context.Conversation")
        .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.raftkv"));
  }

  @Test
  void contextsAreActivatedForEveryPathButTheKeyPaths() throws IOException {
    Pattern activated = Pattern.compile(weldContextMapping());

    assertThat(activated.matcher("/kv/foo").matches()).isFalse();
    assertThat(activated.matcher("/kv/a/b").matches()).isFalse();
    assertThat(activated.matcher("/kv/").matches()).isFalse();
    assertThat(activated.matcher("/kv").matches()).isTrue();
    assertThat(activated.matcher("/kvx/foo").matches()).isTrue();
    assertThat(activated.matcher("/cluster/status").matches()).isTrue();
    assertThat(activated.matcher("/txn").matches()).isTrue();
    assertThat(activated.matcher("/ui/").matches()).isTrue();
    assertThat(activated.matcher("/").matches()).isTrue();
  }

  private static String weldContextMapping() throws IOException {
    Matcher m = Pattern.compile("<param-name>org\\.jboss\\.weld\\.context\\.mapping</param-name>\\s*"
        + "<param-value>([^<]*)</param-value>").matcher(Files.readString(WEB_XML));
    assertThat(m.find()).as("Weld's context mapping in " + WEB_XML).isTrue();
    return m.group(1);
  }
}
