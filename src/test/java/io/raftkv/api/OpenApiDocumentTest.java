package io.raftkv.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The static OpenAPI document (src/main/resources/META-INF/openapi.yaml, served at /openapi) and the
 * JAX-RS resources of {@link RaftKvApplication} describe the same operations and parameters: no endpoint
 * missing, none undocumented. A new resource method fails this test until the document names it.
 */
class OpenApiDocumentTest {
  /** Headers the resources read for HTTP's own sake (body framing), not part of the API's vocabulary. */
  private static final Set<String> TRANSPORT_HEADERS = Set.of("Content-Length");

  @Test
  void documentNamesExactlyTheResourceOperations() {
    assertThat(documentedOperations()).isEqualTo(resourceOperations());
  }

  @Test
  void documentNamesEveryPathQueryAndHeaderParameter() {
    assertThat(documentedParameters()).isEqualTo(resourceParameters());
  }

  @Test
  void everyOperationDocumentsItsErrors() {
    forEachOperation((path, verb, operation) -> {
      Map<?, ?> responses = (Map<?, ?>) operation.get("responses");
      assertThat(responses).as("%s %s", verb, path).isNotEmpty();
      boolean canFail = responses.keySet().stream().anyMatch(code -> String.valueOf(code).startsWith("4"));
      assertThat(canFail || Set.of("/cluster", "/cluster/status", "/ui").contains(path)).as("%s %s documents a 4xx", verb, path).isTrue();
    });
  }

  private static Set<String> resourceOperations() {
    Set<String> operations = new TreeSet<>();
    forEachResourceMethod((verb, path, method) -> operations.add(verb + " " + path));
    return operations;
  }

  private static Set<String> resourceParameters() {
    Set<String> parameters = new TreeSet<>();
    forEachResourceMethod((verb, path, method) -> {
      for (Parameter parameter : method.getParameters()) {
        if (parameter.isAnnotationPresent(QueryParam.class)) {
          parameters.add(verb + " " + path + " query " + parameter.getAnnotation(QueryParam.class).value());
        } else if (parameter.isAnnotationPresent(PathParam.class)) {
          parameters.add(verb + " " + path + " path " + parameter.getAnnotation(PathParam.class).value());
        } else if (parameter.isAnnotationPresent(HeaderParam.class)
            && !TRANSPORT_HEADERS.contains(parameter.getAnnotation(HeaderParam.class).value())) {
          parameters.add(verb + " " + path + " header " + parameter.getAnnotation(HeaderParam.class).value());
        }
      }
    });
    return parameters;
  }

  private static Set<String> documentedOperations() {
    Set<String> operations = new TreeSet<>();
    forEachOperation((path, verb, operation) -> operations.add(verb + " " + path));
    return operations;
  }

  private static Set<String> documentedParameters() {
    Map<String, Object> document = document();
    Map<?, ?> sharedParameters = (Map<?, ?>) ((Map<?, ?>) document.get("components")).get("parameters");
    Set<String> parameters = new TreeSet<>();
    forEachOperation((path, verb, operation) -> {
      List<Object> declared = new ArrayList<>();
      declared.addAll(listOrEmpty(((Map<?, ?>) ((Map<?, ?>) document.get("paths")).get(path)).get("parameters")));
      declared.addAll(listOrEmpty(operation.get("parameters")));
      for (Object entry : declared) {
        Map<?, ?> parameter = (Map<?, ?>) entry;
        Object ref = parameter.get("$ref");
        if (ref != null) {
          parameter = (Map<?, ?>) sharedParameters.get(String.valueOf(ref).replace("#/components/parameters/", ""));
        }
        parameters.add(verb + " " + path + " " + parameter.get("in") + " " + parameter.get("name"));
      }
    });
    return parameters;
  }

  private static List<?> listOrEmpty(Object value) {
    return value == null ? List.of() : (List<?>) value;
  }

  private interface OperationVisitor {
    void visit(String path, String verb, Map<?, ?> operation);
  }

  private static void forEachOperation(OperationVisitor visitor) {
    Map<?, ?> paths = (Map<?, ?>) document().get("paths");
    Set<String> verbs = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    paths.forEach((path, item) -> ((Map<?, ?>) item).forEach((verb, operation) -> {
      if (verbs.contains(String.valueOf(verb))) {
        visitor.visit(String.valueOf(path), String.valueOf(verb).toUpperCase(), (Map<?, ?>) operation);
      }
    }));
  }

  private static Map<String, Object> document() {
    try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
      assertThat(in).as("META-INF/openapi.yaml on the class path").isNotNull();
      return new Yaml().load(in);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private interface ResourceMethodVisitor {
    void visit(String verb, String path, Method method);
  }

  /** Every resource method of the application, with its HTTP verb and its path in OpenAPI form. */
  private static void forEachResourceMethod(ResourceMethodVisitor visitor) {
    for (Class<?> type : new RaftKvApplication().getClasses()) {
      Path root = type.getAnnotation(Path.class);
      if (root == null) {
        continue;
      }
      for (Method method : type.getDeclaredMethods()) {
        String verb = httpVerb(method);
        if (verb != null) {
          Path sub = method.getAnnotation(Path.class);
          visitor.visit(verb, openApiPath(root.value(), sub == null ? "" : sub.value()), method);
        }
      }
    }
  }

  private static String httpVerb(Method method) {
    for (var annotation : method.getAnnotations()) {
      HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
      if (verb != null) {
        return verb.value();
      }
    }
    return null;
  }

  /** {@code kv} + {@code {key: .+}} is {@code /kv/{key}}: OpenAPI paths carry no regular expressions. */
  static String openApiPath(String root, String sub) {
    String joined = "/" + root.replaceAll("^/|/$", "") + (sub.isEmpty() ? "" : "/" + sub.replaceAll("^/|/$", ""));
    return joined.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
  }
}
