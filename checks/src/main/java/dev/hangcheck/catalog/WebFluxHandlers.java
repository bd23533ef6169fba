package dev.hangcheck.catalog;

import com.google.common.collect.ImmutableSet;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Spring WebFlux handlers, which the server calls on its event loop: request-mapping methods of
 * controllers that return a {@code Mono} or {@code Flux}, and handler functions ({@code
 * Mono<ServerResponse> list(ServerRequest request)}) meant for the functional routes.
 */
final class WebFluxHandlers {

  private static final ImmutableSet<String> CONTROLLERS =
      ImmutableSet.of(
          "org.springframework.stereotype.Controller",
          "org.springframework.web.bind.annotation.RestController");

  private static final String MAPPING_PACKAGE = "org.springframework.web.bind.annotation.";

  private static final String SERVER_REQUEST =
      "org.springframework.web.reactive.function.server.ServerRequest";

  private WebFluxHandlers() {}

  /** Where {@code method} runs if it is a WebFlux handler, or null. */
  static @Nullable String contextOf(MethodSymbol method, Set<Framework> enabled, Types types) {
    if (!enabled.contains(Framework.WEBFLUX) || method.isStatic() || method.isConstructor()) {
      return null;
    }
    if (!FrameworkHandoffs.isMonoOrFlux(method.getReturnType())) {
      return null;
    }
    if (isMapping(method) && isController(method.enclClass())) {
      return "a Spring WebFlux controller method, run on the event loop";
    }
    if (method.getParameters().size() == 1
        && types.erasure(method.getParameters().get(0).type)
            .tsym
            .getQualifiedName()
            .contentEquals(SERVER_REQUEST)) {
      return "a Spring WebFlux handler function, run on the event loop";
    }
    return null;
  }

  private static boolean isMapping(MethodSymbol method) {
    for (Attribute.Compound annotation : annotations(method)) {
      String name = annotation.type.tsym.getQualifiedName().toString();
      if (name.startsWith(MAPPING_PACKAGE) && name.endsWith("Mapping")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isController(@Nullable ClassSymbol cls) {
    return cls != null && KnownAnnotations.findAnnotation(cls, CONTROLLERS) != null;
  }

  private static Iterable<Attribute.Compound> annotations(Symbol symbol) {
    try {
      return symbol.getAnnotationMirrors();
    } catch (Symbol.CompletionFailure e) {
      return ImmutableSet.of();
    }
  }
}
