package dev.hangcheck.config;

import static dev.hangcheck.config.HangcheckConfig.BLOCKING_METHODS_FLAG;
import static dev.hangcheck.config.HangcheckConfig.BLOCKING_SCHEDULERS_FLAG;
import static dev.hangcheck.config.HangcheckConfig.CONSTRUCTOR_NAME;
import static dev.hangcheck.config.HangcheckConfig.DEFAULT_UNDER_LOCK_CATEGORIES;
import static dev.hangcheck.config.HangcheckConfig.FLAG_NAMESPACE;
import static dev.hangcheck.config.HangcheckConfig.FRAMEWORK_CONTEXTS_FLAG;
import static dev.hangcheck.config.HangcheckConfig.LOCK_GRAPH_FLAG;
import static dev.hangcheck.config.HangcheckConfig.LOCK_ORDER_FLAG;
import static dev.hangcheck.config.HangcheckConfig.LOCK_ORDER_MAX_CALL_DEPTH_FLAG;
import static dev.hangcheck.config.HangcheckConfig.LOCK_ORDER_MAX_CYCLE_CALLS_FLAG;
import static dev.hangcheck.config.HangcheckConfig.NONE;
import static dev.hangcheck.config.HangcheckConfig.NON_BLOCKING_ANNOTATIONS_FLAG;
import static dev.hangcheck.config.HangcheckConfig.NON_BLOCKING_METHODS_FLAG;
import static dev.hangcheck.config.HangcheckConfig.SARIF_FLAG;
import static dev.hangcheck.config.HangcheckConfig.SUMMARIES_FLAG;
import static dev.hangcheck.config.HangcheckConfig.UNDER_LOCK_CATEGORIES_FLAG;
import static dev.hangcheck.config.HangcheckConfig.UNDER_LOCK_MAX_CALL_DEPTH_FLAG;
import static dev.hangcheck.config.HangcheckConfig.UNLIMITED;
import static java.util.stream.Collectors.joining;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Sets;
import com.google.errorprone.ErrorProneFlags;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.catalog.Framework;
import dev.hangcheck.catalog.MethodRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.SourceVersion;
import org.jspecify.annotations.Nullable;

/**
 * Reads and validates the {@code -XepOpt:Hangcheck:...} flags for {@link HangcheckConfig}: each
 * malformed value stops the compilation with a message that says what is wrong and shows a correct
 * example.
 */
final class FlagParser {

  private FlagParser() {}

  private static final String XEP_OPT = "-XepOpt:";

  private static final ImmutableMap<String, String> EXAMPLES =
      ImmutableMap.<String, String>builder()
          .put(NON_BLOCKING_ANNOTATIONS_FLAG, "com.acme.EventLoopThread,com.acme.ui.OnUiThread")
          .put(NON_BLOCKING_METHODS_FLAG, "io.netty.channel.ChannelInboundHandler#channelRead,com.acme.EventHandler#onEvent")
          .put(BLOCKING_METHODS_FLAG, "com.acme.Db#query,com.acme.Cache#load")
          .put(UNDER_LOCK_CATEGORIES_FLAG, "SLEEP,WAIT,NETWORK,DATABASE,DECLARED")
          .put(LOCK_ORDER_MAX_CALL_DEPTH_FLAG, "8")
          .put(LOCK_ORDER_MAX_CYCLE_CALLS_FLAG, "unlimited")
          .put(UNDER_LOCK_MAX_CALL_DEPTH_FLAG, "4")
          .put(SUMMARIES_FLAG, "false")
          .put(FRAMEWORK_CONTEXTS_FLAG, "netty,reactor")
          .put(BLOCKING_SCHEDULERS_FLAG, "com.acme.Pools#blockingScheduler,com.acme.Pools#JDBC")
          .put(LOCK_ORDER_FLAG, "com.acme.Bank.accounts,com.acme.Account,com.acme.Audit.class")
          .put(LOCK_GRAPH_FLAG, "target/hangcheck/lock-graph")
          .put(SARIF_FLAG, "target/hangcheck/hangcheck.sarif")
          .buildOrThrow();

  private static final Splitter COMMA_SPLITTER = Splitter.on(',').trimResults();


  static void rejectUnknownFlags(ErrorProneFlags flags) {
    for (Map.Entry<String, String> flag : flags.getFlagsMap().entrySet()) {
      String name = flag.getKey();
      // Case-insensitive, so that -XepOpt:hangcheck:... is reported rather than ignored.
      boolean inOurNamespace =
          name.regionMatches(/* ignoreCase= */ true, 0, FLAG_NAMESPACE, 0, FLAG_NAMESPACE.length());
      if (inOurNamespace && !EXAMPLES.containsKey(name)) {
        String closest = Suggestions.closest(name, EXAMPLES.keySet());
        throw new InvalidHangcheckFlagException(
            XEP_OPT
                + name
                + "="
                + flag.getValue()
                + ": '"
                + name
                + "' is not a Hangcheck flag; "
                + (closest == null
                    ? "the flags are "
                    : "did you mean " + XEP_OPT + closest + "? The flags are ")
                + EXAMPLES.keySet().stream().map(known -> XEP_OPT + known).collect(joining(", "))
                + " (example: "
                + XEP_OPT
                + BLOCKING_METHODS_FLAG
                + "="
                + EXAMPLES.get(BLOCKING_METHODS_FLAG)
                + ")");
      }
    }
  }

  static ImmutableList<String> parseAnnotationNames(ErrorProneFlags flags) {
    String flag = NON_BLOCKING_ANNOTATIONS_FLAG;
    List<String> names = new ArrayList<>();
    for (String element : elements(flags, flag)) {
      if (element.startsWith("@")) {
        throw invalid(flag, element, "starts with '@'; write the annotation's type name only");
      }
      checkQualifiedTypeName(flag, element, element, "annotation");
      names.add(element);
    }
    return ImmutableSet.copyOf(names).asList();
  }

  static ImmutableList<MethodRef> parseMethodRefs(
      ErrorProneFlags flags, String flag, boolean constructorsAllowed) {
    List<MethodRef> methods = new ArrayList<>();
    for (String element : elements(flags, flag)) {
      methods.add(parseMethodRef(flag, element, constructorsAllowed));
    }
    return ImmutableSet.copyOf(methods).asList();
  }

  private static MethodRef parseMethodRef(
      String flag, String element, boolean constructorsAllowed) {
    if (element.indexOf('(') >= 0 || element.indexOf(')') >= 0) {
      throw invalid(
          flag,
          element,
          "selects an overload, which is not supported: pkg.Type#method covers every overload;"
              + " leave out the parameter list");
    }
    int hash = element.indexOf('#');
    if (hash < 0 || hash != element.lastIndexOf('#')) {
      throw invalid(flag, element, "is not of the form pkg.Type#method");
    }
    String typeName = element.substring(0, hash).trim();
    String methodName = element.substring(hash + 1).trim();
    if (typeName.isEmpty()) {
      throw invalid(flag, element, "has no type before '#'; it is not of the form pkg.Type#method");
    }
    if (methodName.isEmpty()) {
      throw invalid(
          flag, element, "has no method name after '#'; it is not of the form pkg.Type#method");
    }
    checkQualifiedTypeName(flag, element, typeName, "type");
    boolean isConstructor = constructorsAllowed && methodName.equals(CONSTRUCTOR_NAME);
    if (!isConstructor && !isJavaIdentifier(methodName)) {
      throw invalid(
          flag,
          element,
          "has '"
              + methodName
              + "' as its method name, which is not a Java identifier"
              + (constructorsAllowed
                  ? " (constructors are written " + CONSTRUCTOR_NAME + ")"
                  : ""));
    }
    return new MethodRef(typeName, methodName);
  }

  static ImmutableSet<BlockingCategory> parseCategories(ErrorProneFlags flags) {
    String flag = UNDER_LOCK_CATEGORIES_FLAG;
    if (flags.get(flag).isEmpty()) {
      return DEFAULT_UNDER_LOCK_CATEGORIES;
    }
    EnumSet<BlockingCategory> categories = EnumSet.noneOf(BlockingCategory.class);
    for (String element : elements(flags, flag)) {
      categories.add(parseCategory(flag, element));
    }
    return Sets.immutableEnumSet(categories);
  }

  static int parseMaxCallDepth(ErrorProneFlags flags, String flag, int byDefault, int least) {
    Optional<String> value = flags.get(flag);
    if (value.isEmpty() || value.get().isBlank()) {
      return byDefault;
    }
    String trimmed = value.get().trim();
    if (trimmed.equalsIgnoreCase(UNLIMITED)) {
      return Integer.MAX_VALUE;
    }
    String expected =
        "write " + (least == 0 ? "0, a positive number" : "a positive number") + " or " + UNLIMITED;
    int depth;
    try {
      depth = Integer.parseInt(trimmed);
    } catch (NumberFormatException e) {
      throw invalid(flag, trimmed, "is not a number of calls; " + expected);
    }
    if (depth < least) {
      throw invalid(flag, trimmed, (least == 0 ? "is negative; " : "is not positive; ") + expected);
    }
    return depth;
  }

  static boolean parseBoolean(ErrorProneFlags flags, String flag, boolean byDefault) {
    Optional<String> value = flags.get(flag);
    if (value.isEmpty() || value.get().isBlank()) {
      return byDefault;
    }
    String trimmed = value.get().trim();
    if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(trimmed);
    }
    throw invalid(flag, trimmed, "is neither true nor false");
  }

  static ImmutableSet<Framework> parseFrameworks(ErrorProneFlags flags) {
    String flag = FRAMEWORK_CONTEXTS_FLAG;
    ImmutableList<String> elements = elements(flags, flag);
    if (elements.isEmpty()) {
      return HangcheckConfig.ALL_FRAMEWORKS;
    }
    if (elements.size() == 1 && elements.get(0).equalsIgnoreCase(NONE)) {
      return Sets.immutableEnumSet(EnumSet.noneOf(Framework.class));
    }
    EnumSet<Framework> frameworks = EnumSet.noneOf(Framework.class);
    List<String> names = Arrays.stream(Framework.values()).map(Framework::flagName).toList();
    for (String element : elements) {
      Framework framework = Framework.fromFlagName(element);
      if (framework == null) {
        String closest = Suggestions.closest(element.toLowerCase(Locale.ROOT), names);
        throw invalid(
            flag,
            element,
            (element.equalsIgnoreCase(NONE)
                    ? "cannot be combined with frameworks: write " + NONE + " alone; "
                    : "is not a framework Hangcheck knows; "
                        + (closest == null ? "" : "did you mean " + closest + "? "))
                + "the frameworks are "
                + String.join(",", names)
                + ", or "
                + NONE);
      }
      frameworks.add(framework);
    }
    return Sets.immutableEnumSet(frameworks);
  }

  /**
   * The orders of {@code -XepOpt:Hangcheck:LockOrder}: each a list of two or more fully qualified
   * lock names ({@code pkg.Type.field}, {@code pkg.Type}, {@code pkg.Type.class}), orders
   * separated by semicolons. Whether the names exist is known only to the compilation.
   */
  static ImmutableList<ImmutableList<String>> parseLockOrders(ErrorProneFlags flags) {
    String flag = LOCK_ORDER_FLAG;
    Optional<String> value = flags.get(flag);
    if (value.isEmpty() || value.get().isBlank()) {
      return ImmutableList.of();
    }
    ImmutableList.Builder<ImmutableList<String>> orders = ImmutableList.builder();
    for (String order : Splitter.on(';').trimResults().omitEmptyStrings().split(value.get())) {
      ImmutableList<String> names = ImmutableList.copyOf(COMMA_SPLITTER.split(order));
      if (names.contains("")) {
        throw invalid(flag, order, "has an empty element; remove the extra comma");
      }
      if (names.size() < 2) {
        throw invalid(flag, order, "names one lock; an order needs two or more, first acquired first");
      }
      if (ImmutableSet.copyOf(names).size() < names.size()) {
        throw invalid(flag, order, "names a lock twice; a lock cannot be acquired before itself");
      }
      for (String name : names) {
        String type = name.endsWith(".class") ? name.substring(0, name.length() - 6) : name;
        checkQualifiedTypeName(flag, name, type, "lock");
      }
      orders.add(names);
    }
    return orders.build();
  }

  /** A file path flag: the path as given (trimmed), or null when absent. */
  static @Nullable String parsePath(ErrorProneFlags flags, String flag) {
    Optional<String> value = flags.get(flag);
    if (value.isEmpty()) {
      return null;
    }
    String path = value.get().trim();
    if (path.isEmpty()) {
      throw invalid(flag, value.get(), "is empty; write the path of the file to write");
    }
    if (path.endsWith("/") || path.endsWith(java.io.File.separator)) {
      throw invalid(flag, path, "names a directory; write the path of the file to write");
    }
    return path;
  }

  private static BlockingCategory parseCategory(String flag, String element) {
    // Category names are matched ignoring case: "sleep" is not ambiguous.
    String upperCase = element.toUpperCase(Locale.ROOT);
    for (BlockingCategory category : BlockingCategory.values()) {
      if (category.name().equals(upperCase)) {
        return category;
      }
    }
    String closest =
        Suggestions.closest(
            upperCase, Arrays.stream(BlockingCategory.values()).map(Enum::name).toList());
    throw invalid(
        flag,
        element,
        "is not a blocking category; "
            + (closest == null
                ? "the categories are "
                : "did you mean " + closest + "? The categories are ")
            + Arrays.stream(BlockingCategory.values()).map(Enum::name).collect(joining(", ")));
  }

  /**
   * The trimmed, comma-separated elements of a flag; none when the flag is absent or its value is
   * blank.
   */
  private static ImmutableList<String> elements(ErrorProneFlags flags, String flag) {
    Optional<String> value = flags.get(flag);
    if (value.isEmpty() || value.get().isBlank()) {
      return ImmutableList.of();
    }
    ImmutableList<String> elements = ImmutableList.copyOf(COMMA_SPLITTER.split(value.get()));
    if (elements.contains("")) {
      throw invalid(flag, value.get(), "has an empty element; remove the extra comma");
    }
    return elements;
  }

  private static void checkQualifiedTypeName(
      String flag, String element, String typeName, String what) {
    if (!SourceVersion.isName(typeName)) {
      throw invalidTypeName(
          flag, element, typeName, "is not a fully qualified Java " + what + " name");
    }
    if (typeName.indexOf('.') < 0) {
      // A class in the default package is possible, but a missing package is far more likely,
      // and would silently match nothing.
      throw invalidTypeName(
          flag, element, typeName, "has no package; write the fully qualified " + what + " name");
    }
  }

  private static InvalidHangcheckFlagException invalidTypeName(
      String flag, String element, String typeName, String problem) {
    return invalid(
        flag,
        element,
        typeName.equals(element)
            ? problem
            : "has '" + typeName + "' as its type, which " + problem);
  }

  private static boolean isJavaIdentifier(String name) {
    return SourceVersion.isIdentifier(name) && !SourceVersion.isKeyword(name);
  }

  private static InvalidHangcheckFlagException invalid(String flag, String value, String problem) {
    return new InvalidHangcheckFlagException(
        XEP_OPT
            + flag
            + ": '"
            + value
            + "' "
            + problem
            + " (example: "
            + XEP_OPT
            + flag
            + "="
            + EXAMPLES.get(flag)
            + ")");
  }

  /**
   * The problem with Hangcheck flags given more than once in Error Prone's arguments (the text
   * after {@code -Xplugin:}), or null. Error Prone keeps only the last value of a repeated flag,
   * so the entries of the others would be dropped without a word; the same value twice is fine.
   */
  static @Nullable String repeatedFlags(String errorProneArguments) {
    Map<String, String> seen = new java.util.LinkedHashMap<>();
    for (String argument : errorProneArguments.trim().split("\\s+")) {
      if (!argument.regionMatches(true, 0, XEP_OPT + FLAG_NAMESPACE, 0, XEP_OPT.length() + FLAG_NAMESPACE.length())) {
        continue;
      }
      int equals = argument.indexOf('=');
      String name = equals < 0 ? argument : argument.substring(0, equals);
      String value = equals < 0 ? "" : argument.substring(equals + 1);
      String before = seen.put(name, value);
      if (before != null && !before.equals(value)) {
        return name
            + " is given more than once ('"
            + before
            + "', then '"
            + value
            + "'), and Error Prone keeps only the last: give it once, with all its entries"
            + " separated by commas (example: "
            + name
            + "="
            + (EXAMPLES.containsKey(name.substring(XEP_OPT.length()))
                ? EXAMPLES.get(name.substring(XEP_OPT.length()))
                : before + "," + value)
            + ")";
      }
    }
    return null;
  }
}
