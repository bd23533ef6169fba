package dev.hangcheck.config;

import dev.hangcheck.catalog.BlockingCatalog;
import dev.hangcheck.catalog.Framework;
import dev.hangcheck.catalog.NonBlockingContexts;
import dev.hangcheck.catalog.ReactorOffload;
import dev.hangcheck.catalog.MethodRef;
import static dev.hangcheck.catalog.BlockingCategory.DATABASE;
import static dev.hangcheck.catalog.BlockingCategory.DECLARED;
import static dev.hangcheck.catalog.BlockingCategory.NETWORK;
import static dev.hangcheck.catalog.BlockingCategory.SLEEP;
import static dev.hangcheck.catalog.BlockingCategory.WAIT;
import static java.util.stream.Collectors.joining;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Sets;
import com.google.errorprone.ErrorProneFlags;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.catalog.KnownAnnotations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import javax.lang.model.SourceVersion;

/**
 * Every {@code -XepOpt:Hangcheck:...} flag of the project, parsed and validated when the checker is
 * created.
 *
 * <p>Validation is eager and strict: a flag Hangcheck cannot use fails the compilation with a
 * message that shows a correct example, because a misspelled method or category would otherwise be
 * ignored silently and the user would believe the code is checked when it is not.
 */
public final class HangcheckConfig {

  /** The namespace of all Hangcheck flags; a flag in it that is not one of ours is a typo. */
  public static final String FLAG_NAMESPACE = "Hangcheck:";

  /** Annotations (fully qualified) that mark non-blocking code, besides the built-in ones. */
  public static final String NON_BLOCKING_ANNOTATIONS_FLAG = "Hangcheck:NonBlockingAnnotations";

  /** {@code pkg.Type#method} entries: those methods and their overrides must not block. */
  public static final String NON_BLOCKING_METHODS_FLAG = NonBlockingContexts.METHODS_FLAG;

  /** {@code pkg.Type#method} entries: more blocking methods, category {@code DECLARED}. */
  public static final String BLOCKING_METHODS_FLAG = "Hangcheck:BlockingMethods";

  /** Which {@link BlockingCategory categories} of blocking calls are reported under a lock. */
  public static final String UNDER_LOCK_CATEGORIES_FLAG = "Hangcheck:UnderLockCategories";

  /**
   * How many calls deep LockOrderInversion follows a lock taken through calls made under another
   * lock: a positive number, or {@code unlimited}.
   */
  public static final String LOCK_ORDER_MAX_CALL_DEPTH_FLAG = "Hangcheck:LockOrderMaxCallDepth";

  /** The frameworks whose non-blocking code is recognised: all by default, {@code none}, or a list. */
  public static final String FRAMEWORK_CONTEXTS_FLAG = "Hangcheck:FrameworkContexts";

  /** More Reactor schedulers made for blocking work, besides {@code Schedulers.boundedElastic()}. */
  public static final String BLOCKING_SCHEDULERS_FLAG = "Hangcheck:BlockingSchedulers";

  /** The value of {@value #FRAMEWORK_CONTEXTS_FLAG} that turns every framework off. */
  public static final String NONE = "none";

  /**
   * Each call of a chain is a step the analysis takes on every branch and into every possible
   * override, whatever the state and the classes of the objects: on the real code evaluated
   * (docs/evaluation.md) cycles that need more calls than this on one of their edges could
   * almost never run, while the documented deadlocks of eval/regressions need up to six.
   */
  public static final int DEFAULT_LOCK_ORDER_MAX_CALL_DEPTH = 6;

  /** The value of {@value #LOCK_ORDER_MAX_CALL_DEPTH_FLAG} that sets no bound. */
  public static final String UNLIMITED = "unlimited";

  /**
   * FILE and PROCESS are left out by default: short file reads under a lock are common and usually
   * harmless, while sleeping, waiting on another thread, and remote calls under a lock are what
   * turns a slow dependency into a stalled application.
   */
  public static final ImmutableSet<BlockingCategory> DEFAULT_UNDER_LOCK_CATEGORIES =
      Sets.immutableEnumSet(SLEEP, WAIT, NETWORK, DATABASE, DECLARED);

  /** How {@code -XepOpt:Hangcheck:BlockingMethods} names constructors. */
  public static final String CONSTRUCTOR_NAME = MethodRef.CONSTRUCTOR_NAME;

  private static final String XEP_OPT = "-XepOpt:";

  private static final ImmutableMap<String, String> EXAMPLES =
      ImmutableMap.of(
          NON_BLOCKING_ANNOTATIONS_FLAG,
          "com.acme.EventLoopThread,com.acme.ui.OnUiThread",
          NON_BLOCKING_METHODS_FLAG,
          "io.netty.channel.ChannelInboundHandler#channelRead,com.acme.EventHandler#onEvent",
          BLOCKING_METHODS_FLAG,
          "com.acme.Db#query,com.acme.Cache#load",
          UNDER_LOCK_CATEGORIES_FLAG,
          "SLEEP,WAIT,NETWORK,DATABASE,DECLARED",
          LOCK_ORDER_MAX_CALL_DEPTH_FLAG,
          "8",
          FRAMEWORK_CONTEXTS_FLAG,
          "netty,reactor",
          BLOCKING_SCHEDULERS_FLAG,
          "com.acme.Pools#blockingScheduler,com.acme.Pools#JDBC");

  private static final Splitter COMMA_SPLITTER = Splitter.on(',').trimResults();

  private static final HangcheckConfig DEFAULTS =
      new HangcheckConfig(
          KnownAnnotations.NON_BLOCKING,
          ImmutableList.of(),
          ImmutableList.of(),
          DEFAULT_UNDER_LOCK_CATEGORIES,
          DEFAULT_LOCK_ORDER_MAX_CALL_DEPTH,
          Sets.immutableEnumSet(EnumSet.allOf(Framework.class)),
          ImmutableList.of());


  private final ImmutableSet<String> nonBlockingAnnotations;
  private final ImmutableList<MethodRef> nonBlockingMethods;
  private final ImmutableList<MethodRef> blockingMethods;
  private final ImmutableSet<BlockingCategory> underLockCategories;
  private final int lockOrderMaxCallDepth;
  private final ImmutableSet<Framework> frameworkContexts;
  private final ImmutableList<MethodRef> blockingSchedulers;

  private HangcheckConfig(
      ImmutableSet<String> nonBlockingAnnotations,
      ImmutableList<MethodRef> nonBlockingMethods,
      ImmutableList<MethodRef> blockingMethods,
      ImmutableSet<BlockingCategory> underLockCategories,
      int lockOrderMaxCallDepth,
      ImmutableSet<Framework> frameworkContexts,
      ImmutableList<MethodRef> blockingSchedulers) {
    this.frameworkContexts = frameworkContexts;
    this.blockingSchedulers = blockingSchedulers;
    this.nonBlockingAnnotations = nonBlockingAnnotations;
    this.nonBlockingMethods = nonBlockingMethods;
    this.blockingMethods = blockingMethods;
    this.underLockCategories = underLockCategories;
    this.lockOrderMaxCallDepth = lockOrderMaxCallDepth;
  }

  /** The configuration when no flag is given. */
  public static HangcheckConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Parses and validates every Hangcheck flag.
   *
   * @throws InvalidHangcheckFlagException if a flag is unknown or its value is malformed
   */
  public static HangcheckConfig fromFlags(ErrorProneFlags flags) {
    rejectUnknownFlags(flags);
    ImmutableSet<String> nonBlockingAnnotations =
        ImmutableSet.<String>builder()
            .addAll(KnownAnnotations.NON_BLOCKING)
            .addAll(parseAnnotationNames(flags))
            .build();
    return new HangcheckConfig(
        nonBlockingAnnotations,
        parseMethodRefs(flags, NON_BLOCKING_METHODS_FLAG, /* constructorsAllowed= */ false),
        parseMethodRefs(flags, BLOCKING_METHODS_FLAG, /* constructorsAllowed= */ true),
        parseCategories(flags),
        parseMaxCallDepth(flags),
        parseFrameworks(flags),
        parseMethodRefs(flags, BLOCKING_SCHEDULERS_FLAG, /* constructorsAllowed= */ false));
  }

  /**
   * Every annotation that marks non-blocking code: the built-in ones ({@link
   * KnownAnnotations#NON_BLOCKING}) followed by those of {@value #NON_BLOCKING_ANNOTATIONS_FLAG}.
   */
  public ImmutableSet<String> nonBlockingAnnotations() {
    return nonBlockingAnnotations;
  }

  /** The methods of {@value #NON_BLOCKING_METHODS_FLAG}, in flag order, without duplicates. */
  public ImmutableList<MethodRef> nonBlockingMethods() {
    return nonBlockingMethods;
  }

  /** The methods of {@value #BLOCKING_METHODS_FLAG}, in flag order, without duplicates. */
  public ImmutableList<MethodRef> blockingMethods() {
    return blockingMethods;
  }

  /** The categories of blocking calls that are reported when made while holding a lock. */
  public ImmutableSet<BlockingCategory> underLockCategories() {
    return underLockCategories;
  }

  /**
   * How many calls a chain may have from a call made under a lock to where a callee takes another
   * lock ({@link Integer#MAX_VALUE}: no bound).
   */
  public int lockOrderMaxCallDepth() {
    return lockOrderMaxCallDepth;
  }

  /** The frameworks whose callbacks and handlers are non-blocking code. */
  public ImmutableSet<Framework> frameworkContexts() {
    return frameworkContexts;
  }

  /** The schedulers of {@value #BLOCKING_SCHEDULERS_FLAG}, in flag order, without duplicates. */
  public ImmutableList<MethodRef> blockingSchedulers() {
    return blockingSchedulers;
  }

  @Override
  public String toString() {
    return "HangcheckConfig{nonBlockingAnnotations="
        + nonBlockingAnnotations
        + ", nonBlockingMethods="
        + nonBlockingMethods
        + ", blockingMethods="
        + blockingMethods
        + ", underLockCategories="
        + underLockCategories
        + ", lockOrderMaxCallDepth="
        + lockOrderMaxCallDepth
        + ", frameworkContexts="
        + frameworkContexts
        + ", blockingSchedulers="
        + blockingSchedulers
        + "}";
  }

  private static void rejectUnknownFlags(ErrorProneFlags flags) {
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

  private static ImmutableList<String> parseAnnotationNames(ErrorProneFlags flags) {
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

  private static ImmutableList<MethodRef> parseMethodRefs(
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

  private static ImmutableSet<BlockingCategory> parseCategories(ErrorProneFlags flags) {
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

  private static int parseMaxCallDepth(ErrorProneFlags flags) {
    String flag = LOCK_ORDER_MAX_CALL_DEPTH_FLAG;
    Optional<String> value = flags.get(flag);
    if (value.isEmpty() || value.get().isBlank()) {
      return DEFAULT_LOCK_ORDER_MAX_CALL_DEPTH;
    }
    String trimmed = value.get().trim();
    if (trimmed.equalsIgnoreCase(UNLIMITED)) {
      return Integer.MAX_VALUE;
    }
    int depth;
    try {
      depth = Integer.parseInt(trimmed);
    } catch (NumberFormatException e) {
      throw invalid(flag, trimmed, "is not a number of calls; write a positive number or " + UNLIMITED);
    }
    if (depth < 1) {
      throw invalid(flag, trimmed, "is not positive; write a positive number or " + UNLIMITED);
    }
    return depth;
  }

  private static ImmutableSet<Framework> parseFrameworks(ErrorProneFlags flags) {
    String flag = FRAMEWORK_CONTEXTS_FLAG;
    ImmutableList<String> elements = elements(flags, flag);
    if (elements.isEmpty()) {
      return DEFAULTS.frameworkContexts;
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
  public static @Nullable String repeatedFlags(String errorProneArguments) {
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

  /** The catalog of blocking methods these flags make: the built-in one plus BlockingMethods. */
  public BlockingCatalog blockingCatalog() {
    return BlockingCatalog.create(blockingMethods(), nonBlockingAnnotations());
  }

  /** Which methods must not block, by the annotations and methods these flags name. */
  public NonBlockingContexts nonBlockingContexts() {
    return new NonBlockingContexts(
        nonBlockingAnnotations(),
        nonBlockingMethods(),
        frameworkContexts(),
        new ReactorOffload(blockingSchedulers()));
  }
}
