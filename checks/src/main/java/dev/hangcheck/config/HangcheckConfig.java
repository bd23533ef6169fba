package dev.hangcheck.config;

import static dev.hangcheck.catalog.BlockingCategory.DATABASE;
import static dev.hangcheck.catalog.BlockingCategory.DECLARED;
import static dev.hangcheck.catalog.BlockingCategory.NETWORK;
import static dev.hangcheck.catalog.BlockingCategory.SLEEP;
import static dev.hangcheck.catalog.BlockingCategory.WAIT;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Sets;
import com.google.errorprone.ErrorProneFlags;
import dev.hangcheck.catalog.BlockingCatalog;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.catalog.Framework;
import dev.hangcheck.catalog.KnownAnnotations;
import dev.hangcheck.catalog.MethodRef;
import dev.hangcheck.catalog.NonBlockingContexts;
import dev.hangcheck.catalog.ReactorOffload;
import java.util.EnumSet;
import org.jspecify.annotations.Nullable;

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

  /**
   * How many calls the chains of a lock-order cycle may have together for LockOrderInversion to
   * report it: 0 (locks nested in one method at every edge), a positive number, or {@code
   * unlimited}.
   */
  public static final String LOCK_ORDER_MAX_CYCLE_CALLS_FLAG = "Hangcheck:LockOrderMaxCycleCalls";

  /**
   * How many calls deep BlockingCallUnderLock follows a blocking call made through calls under a
   * lock: 0 (blocking calls in the locked region only), a positive number, or {@code unlimited}.
   */
  public static final String UNDER_LOCK_MAX_CALL_DEPTH_FLAG = "Hangcheck:UnderLockMaxCallDepth";

  /**
   * Whether each run writes the blocking summaries of the classes it compiles beside their class
   * files, and reads those of the classes on its class path: {@code true} (the default) or {@code
   * false}.
   */
  public static final String SUMMARIES_FLAG = "Hangcheck:Summaries";

  /** The frameworks whose non-blocking code is recognised: all by default, {@code none}, or a list. */
  public static final String FRAMEWORK_CONTEXTS_FLAG = "Hangcheck:FrameworkContexts";

  /** More Reactor schedulers made for blocking work, besides {@code Schedulers.boundedElastic()}. */
  public static final String BLOCKING_SCHEDULERS_FLAG = "Hangcheck:BlockingSchedulers";

  /**
   * Declared lock orders for code that cannot be annotated: fully qualified lock names, first
   * acquired first, separated by commas; several orders separated by semicolons.
   */
  public static final String LOCK_ORDER_FLAG = "Hangcheck:LockOrder";

  /** Where to write the lock graph: {@code path/name} gives {@code path/name.dot} and {@code .json}. */
  public static final String LOCK_GRAPH_FLAG = "Hangcheck:LockGraph";

  /** Where to write the run's Hangcheck findings as SARIF 2.1.0. */
  public static final String SARIF_FLAG = "Hangcheck:Sarif";

  /** The value of {@value #FRAMEWORK_CONTEXTS_FLAG} that turns every framework off. */
  public static final String NONE = "none";

  /**
   * Each call of a chain is a step the analysis takes on every branch and into every possible
   * override, whatever the state and the classes of the objects: on the real code evaluated
   * (docs/evaluation.md) cycles that need more calls than this on one of their edges could
   * almost never run, while the documented deadlocks of eval/regressions need up to six.
   */
  public static final int DEFAULT_LOCK_ORDER_MAX_CALL_DEPTH = 6;

  /**
   * Every call on a cycle's chains is a place where the analysis may take a path the program
   * cannot (a branch its state rules out, an override its object is not, one object for another
   * of the same class), and a cycle needs all of them to run. On the 407 findings triaged
   * (docs/evaluation.md), 59 % of the cycles whose chains have at most five calls together were
   * true, against 8 % of those with more; the documented deadlocks of eval/regressions are found
   * with at most five (H2-467 at one of its sites needs five).
   */
  public static final int DEFAULT_LOCK_ORDER_MAX_CYCLE_CALLS = 5;

  /**
   * On the real code evaluated (docs/evaluation.md), three of four findings whose blocking call was
   * more than two calls below the locked region could not run as printed (a branch the state rules
   * out, an override the receiver is not), against about half of the shallower ones.
   */
  public static final int DEFAULT_UNDER_LOCK_MAX_CALL_DEPTH = 2;

  /** The value of the max-call-depth flags that sets no bound. */
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

  /** Every framework: the default of {@value #FRAMEWORK_CONTEXTS_FLAG}. */
  public static final ImmutableSet<Framework> ALL_FRAMEWORKS =
      Sets.immutableEnumSet(EnumSet.allOf(Framework.class));

  private static final HangcheckConfig DEFAULTS =
      new HangcheckConfig(
          KnownAnnotations.NON_BLOCKING,
          ImmutableList.of(),
          ImmutableList.of(),
          DEFAULT_UNDER_LOCK_CATEGORIES,
          DEFAULT_LOCK_ORDER_MAX_CALL_DEPTH,
          DEFAULT_LOCK_ORDER_MAX_CYCLE_CALLS,
          DEFAULT_UNDER_LOCK_MAX_CALL_DEPTH,
          true,
          ALL_FRAMEWORKS,
          ImmutableList.of(),
          ImmutableList.of(),
          null,
          null);


  private final ImmutableSet<String> nonBlockingAnnotations;
  private final ImmutableList<MethodRef> nonBlockingMethods;
  private final ImmutableList<MethodRef> blockingMethods;
  private final ImmutableSet<BlockingCategory> underLockCategories;
  private final int lockOrderMaxCallDepth;
  private final int lockOrderMaxCycleCalls;
  private final int underLockMaxCallDepth;
  private final boolean summaries;
  private final ImmutableSet<Framework> frameworkContexts;
  private final ImmutableList<MethodRef> blockingSchedulers;
  private final ImmutableList<ImmutableList<String>> lockOrders;
  private final @Nullable String lockGraphPath;
  private final @Nullable String sarifPath;

  private HangcheckConfig(
      ImmutableSet<String> nonBlockingAnnotations,
      ImmutableList<MethodRef> nonBlockingMethods,
      ImmutableList<MethodRef> blockingMethods,
      ImmutableSet<BlockingCategory> underLockCategories,
      int lockOrderMaxCallDepth,
      int lockOrderMaxCycleCalls,
      int underLockMaxCallDepth,
      boolean summaries,
      ImmutableSet<Framework> frameworkContexts,
      ImmutableList<MethodRef> blockingSchedulers,
      ImmutableList<ImmutableList<String>> lockOrders,
      @Nullable String lockGraphPath,
      @Nullable String sarifPath) {
    this.lockOrders = lockOrders;
    this.lockGraphPath = lockGraphPath;
    this.sarifPath = sarifPath;
    this.frameworkContexts = frameworkContexts;
    this.blockingSchedulers = blockingSchedulers;
    this.nonBlockingAnnotations = nonBlockingAnnotations;
    this.nonBlockingMethods = nonBlockingMethods;
    this.blockingMethods = blockingMethods;
    this.underLockCategories = underLockCategories;
    this.lockOrderMaxCallDepth = lockOrderMaxCallDepth;
    this.lockOrderMaxCycleCalls = lockOrderMaxCycleCalls;
    this.underLockMaxCallDepth = underLockMaxCallDepth;
    this.summaries = summaries;
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
    FlagParser.rejectUnknownFlags(flags);
    ImmutableSet<String> nonBlockingAnnotations =
        ImmutableSet.<String>builder()
            .addAll(KnownAnnotations.NON_BLOCKING)
            .addAll(FlagParser.parseAnnotationNames(flags))
            .build();
    return new HangcheckConfig(
        nonBlockingAnnotations,
        FlagParser.parseMethodRefs(flags, NON_BLOCKING_METHODS_FLAG, /* constructorsAllowed= */ false),
        FlagParser.parseMethodRefs(flags, BLOCKING_METHODS_FLAG, /* constructorsAllowed= */ true),
        FlagParser.parseCategories(flags),
        FlagParser.parseMaxCallDepth(
            flags, LOCK_ORDER_MAX_CALL_DEPTH_FLAG, DEFAULT_LOCK_ORDER_MAX_CALL_DEPTH, 1),
        FlagParser.parseMaxCallDepth(
            flags, LOCK_ORDER_MAX_CYCLE_CALLS_FLAG, DEFAULT_LOCK_ORDER_MAX_CYCLE_CALLS, 0),
        FlagParser.parseMaxCallDepth(
            flags, UNDER_LOCK_MAX_CALL_DEPTH_FLAG, DEFAULT_UNDER_LOCK_MAX_CALL_DEPTH, 0),
        FlagParser.parseBoolean(flags, SUMMARIES_FLAG, true),
        FlagParser.parseFrameworks(flags),
        FlagParser.parseMethodRefs(flags, BLOCKING_SCHEDULERS_FLAG, /* constructorsAllowed= */ false),
        FlagParser.parseLockOrders(flags),
        FlagParser.parsePath(flags, LOCK_GRAPH_FLAG),
        FlagParser.parsePath(flags, SARIF_FLAG));
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

  /**
   * How many calls the chains of a cycle may have together for it to be reported ({@link
   * Integer#MAX_VALUE}: no bound).
   */
  public int lockOrderMaxCycleCalls() {
    return lockOrderMaxCycleCalls;
  }

  /**
   * How many calls a chain may have from a locked region to the blocking call that
   * BlockingCallUnderLock reports, 0 for one made in the region itself ({@link Integer#MAX_VALUE}:
   * no bound).
   */
  public int underLockMaxCallDepth() {
    return underLockMaxCallDepth;
  }

  /** Whether summaries are written for the classes compiled and read for the class path. */
  public boolean summaries() {
    return summaries;
  }

  /** The frameworks whose callbacks and handlers are non-blocking code. */
  public ImmutableSet<Framework> frameworkContexts() {
    return frameworkContexts;
  }

  /** The schedulers of {@value #BLOCKING_SCHEDULERS_FLAG}, in flag order, without duplicates. */
  public ImmutableList<MethodRef> blockingSchedulers() {
    return blockingSchedulers;
  }

  /**
   * The orders of {@value #LOCK_ORDER_FLAG}, each a list of fully qualified lock names, first
   * acquired first; resolved against the compilation by {@code LockOrderViolation}.
   */
  public ImmutableList<ImmutableList<String>> lockOrders() {
    return lockOrders;
  }

  /** The path {@value #LOCK_GRAPH_FLAG} names, without {@code .dot}/{@code .json}; null if none. */
  public @Nullable String lockGraphPath() {
    return lockGraphPath;
  }

  /** The file {@value #SARIF_FLAG} names; null if none. */
  public @Nullable String sarifPath() {
    return sarifPath;
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
        + ", lockOrderMaxCycleCalls="
        + lockOrderMaxCycleCalls
        + ", underLockMaxCallDepth="
        + underLockMaxCallDepth
        + ", summaries="
        + summaries
        + ", frameworkContexts="
        + frameworkContexts
        + ", blockingSchedulers="
        + blockingSchedulers
        + ", lockOrders="
        + lockOrders
        + ", lockGraphPath="
        + lockGraphPath
        + ", sarifPath="
        + sarifPath
        + "}";
  }

  /**
   * The problem with Hangcheck flags given more than once in Error Prone's arguments (the text
   * after {@code -Xplugin:}), or null.
   */
  public static @Nullable String repeatedFlags(String errorProneArguments) {
    return FlagParser.repeatedFlags(errorProneArguments);
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
