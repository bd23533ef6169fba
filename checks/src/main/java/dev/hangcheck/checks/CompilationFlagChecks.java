package dev.hangcheck.checks;

import com.google.errorprone.VisitorState;

import com.sun.tools.javac.processing.JavacProcessingEnvironment;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Options;
import dev.hangcheck.catalog.KnownAnnotations;
import dev.hangcheck.catalog.MethodRef;
import dev.hangcheck.config.HangcheckConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;
import org.jspecify.annotations.Nullable;

/**
 * What can be wrong with the flags only in a compilation: a flag given twice (Error Prone keeps
 * the last value), a type that no class of the compilation's class path has (its entries match
 * nothing). Looked at once per javac run.
 */
final class CompilationFlagChecks {

  private static final Context.Key<Optional<String>> RESULT = new Context.Key<>();

  private CompilationFlagChecks() {}

  /**
   * The error that must stop the build, or null. Types that are not there are warned of, once:
   * a module may name a type that only some of its builds see.
   */
  static @Nullable String errorOf(VisitorState state, HangcheckConfig config) {
    Optional<String> known = state.context.get(RESULT);
    if (known == null) {
      known = Optional.empty();
      try {
        known = Optional.ofNullable(repeatedFlags(state.context));
        if (known.isEmpty()) {
          warnOfMissingTypes(state.context, config);
        }
      } catch (RuntimeException e) {
        // These checks only help; javac internals they rely on must never fail the build.
      }
      state.context.put(RESULT, known); // once: a Context refuses a second value for a key
    }
    return known.orElse(null);
  }

  private static @Nullable String repeatedFlags(Context context) {
    String plugins = Options.instance(context).get("-Xplugin:");
    if (plugins == null) {
      return null;
    }
    for (String plugin : plugins.split("\0")) {
      if (plugin.startsWith("ErrorProne")) {
        String error = HangcheckConfig.repeatedFlags(plugin.substring("ErrorProne".length()));
        if (error != null) {
          return error;
        }
      }
    }
    return null;
  }

  private static void warnOfMissingTypes(Context context, HangcheckConfig config) {
    Map<String, String> entryOfType = new LinkedHashMap<>();
    addEntries(entryOfType, HangcheckConfig.NON_BLOCKING_METHODS_FLAG, config.nonBlockingMethods());
    addEntries(entryOfType, HangcheckConfig.BLOCKING_METHODS_FLAG, config.blockingMethods());
    addEntries(entryOfType, HangcheckConfig.BLOCKING_SCHEDULERS_FLAG, config.blockingSchedulers());
    for (String annotation : config.nonBlockingAnnotations()) {
      if (!KnownAnnotations.NON_BLOCKING.contains(annotation)) {
        entryOfType.putIfAbsent(
            annotation, "-XepOpt:" + HangcheckConfig.NON_BLOCKING_ANNOTATIONS_FLAG + ": " + annotation);
      }
    }
    Elements elements = JavacProcessingEnvironment.instance(context).getElementUtils();
    entryOfType.forEach(
        (type, entry) -> {
          if (elements.getTypeElement(type) == null) {
            Reporting.printUnattached(
                context,
                Diagnostic.Kind.WARNING,
                "Hangcheck: "
                    + entry
                    + " names "
                    + type
                    + ", which is not on the class path of this compilation, so it matches"
                    + " nothing here (misspelled, or in a library this module does not use?)");
          }
        });
  }

  private static void addEntries(Map<String, String> entryOfType, String flag, List<MethodRef> methods) {
    for (MethodRef method : methods) {
      entryOfType.putIfAbsent(
          method.typeName(),
          "-XepOpt:" + flag + ": " + method.typeName() + "#" + method.methodName());
    }
  }
}
