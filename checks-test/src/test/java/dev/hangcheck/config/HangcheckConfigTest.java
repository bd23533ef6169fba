package dev.hangcheck.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.ErrorProneFlags;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.catalog.Framework;
import dev.hangcheck.catalog.KnownAnnotations;
import dev.hangcheck.catalog.MethodRef;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class HangcheckConfigTest {

  private static final String BLOCKING_METHODS_EXAMPLE =
      "(example: -XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query,com.acme.Cache#load)";

  @Test
  void defaults() {
    HangcheckConfig config = HangcheckConfig.defaults();

    assertEquals(KnownAnnotations.NON_BLOCKING, config.nonBlockingAnnotations());
    assertEquals(ImmutableList.of(), config.nonBlockingMethods());
    assertEquals(ImmutableList.of(), config.blockingMethods());
    assertEquals(
        EnumSet.of(
            BlockingCategory.SLEEP,
            BlockingCategory.WAIT,
            BlockingCategory.NETWORK,
            BlockingCategory.DATABASE,
            BlockingCategory.DECLARED),
        config.underLockCategories());
    assertEquals(6, config.lockOrderMaxCallDepth());
    assertEquals(EnumSet.allOf(Framework.class), config.frameworkContexts());
    assertEquals(ImmutableList.of(), config.blockingSchedulers());
  }

  @Test
  void frameworkContexts_aListNoneOrAll() {
    assertEquals(
        EnumSet.of(Framework.NETTY, Framework.REACTOR),
        parse("-XepOpt:Hangcheck:FrameworkContexts=Netty, reactor").frameworkContexts());
    assertEquals(
        EnumSet.noneOf(Framework.class),
        parse("-XepOpt:Hangcheck:FrameworkContexts=none").frameworkContexts());
    assertEquals(
        EnumSet.allOf(Framework.class),
        parse("-XepOpt:Hangcheck:FrameworkContexts=").frameworkContexts());
  }

  @Test
  void frameworkContexts_unknownNameRejectedWithASuggestion() {
    assertRejected(
        "-XepOpt:Hangcheck:FrameworkContexts=netty,vertex",
        "-XepOpt:Hangcheck:FrameworkContexts: 'vertex' is not a framework Hangcheck knows; did you"
            + " mean vertx? the frameworks are netty,vertx,reactor,webflux,swing,javafx,android, or"
            + " none (example: -XepOpt:Hangcheck:FrameworkContexts=netty,reactor)");
    assertRejected(
        "-XepOpt:Hangcheck:FrameworkContexts=netty,none",
        "'none' cannot be combined with frameworks: write none alone;");
  }

  @Test
  void blockingSchedulers_areTypeAndMember() {
    assertEquals(
        ImmutableList.of(new MethodRef("com.acme.Pools", "jdbc"), new MethodRef("com.acme.Pools", "IO")),
        parse("-XepOpt:Hangcheck:BlockingSchedulers=com.acme.Pools#jdbc,com.acme.Pools#IO")
            .blockingSchedulers());
    assertRejected(
        "-XepOpt:Hangcheck:BlockingSchedulers=Pools#jdbc",
        "has 'Pools' as its type, which has no package");
  }

  @Test
  void lockOrderMaxCallDepth_parsedOrUnlimited() {
    assertEquals(7, parse("-XepOpt:Hangcheck:LockOrderMaxCallDepth= 7 ").lockOrderMaxCallDepth());
    assertEquals(
        Integer.MAX_VALUE,
        parse("-XepOpt:Hangcheck:LockOrderMaxCallDepth=Unlimited").lockOrderMaxCallDepth());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-3", "four", "4.5"})
  void lockOrderMaxCallDepth_otherValuesRejectedWithAnExample(String value) {
    InvalidHangcheckFlagException e =
        assertThrows(
            InvalidHangcheckFlagException.class,
            () -> parse("-XepOpt:Hangcheck:LockOrderMaxCallDepth=" + value));

    assertTrue(e.getMessage().startsWith("-XepOpt:Hangcheck:LockOrderMaxCallDepth: '" + value + "' is not"));
    assertTrue(e.getMessage().endsWith("or unlimited (example: -XepOpt:Hangcheck:LockOrderMaxCallDepth=8)"));
  }

  @Test
  void lockOrderMaxCycleCalls_fiveByDefaultZeroOrMoreOrUnlimited() {
    assertEquals(5, HangcheckConfig.defaults().lockOrderMaxCycleCalls());
    assertEquals(0, parse("-XepOpt:Hangcheck:LockOrderMaxCycleCalls=0").lockOrderMaxCycleCalls());
    assertEquals(9, parse("-XepOpt:Hangcheck:LockOrderMaxCycleCalls=9").lockOrderMaxCycleCalls());
    assertEquals(
        Integer.MAX_VALUE,
        parse("-XepOpt:Hangcheck:LockOrderMaxCycleCalls=unlimited").lockOrderMaxCycleCalls());
    InvalidHangcheckFlagException e =
        assertThrows(
            InvalidHangcheckFlagException.class,
            () -> parse("-XepOpt:Hangcheck:LockOrderMaxCycleCalls=-1"));
    assertTrue(e.getMessage().startsWith("-XepOpt:Hangcheck:LockOrderMaxCycleCalls: '-1' is negative"));
    assertTrue(e.getMessage().endsWith("(example: -XepOpt:Hangcheck:LockOrderMaxCycleCalls=unlimited)"));
  }

  @Test
  void summaries_onByDefaultAndOffByFalse() {
    assertTrue(HangcheckConfig.defaults().summaries());
    assertFalse(parse("-XepOpt:Hangcheck:Summaries=false").summaries());
    assertTrue(parse("-XepOpt:Hangcheck:Summaries=TRUE").summaries());
  }

  @Test
  void summaries_otherValuesRejectedWithAnExample() {
    InvalidHangcheckFlagException e =
        assertThrows(
            InvalidHangcheckFlagException.class, () -> parse("-XepOpt:Hangcheck:Summaries=off"));

    assertEquals(
        "-XepOpt:Hangcheck:Summaries: 'off' is neither true nor false (example:"
            + " -XepOpt:Hangcheck:Summaries=false)",
        e.getMessage());
  }

  @Test
  void underLockMaxCallDepth_defaultsToTwoAndTakesZeroOrUnlimited() {
    assertEquals(2, HangcheckConfig.defaults().underLockMaxCallDepth());
    assertEquals(0, parse("-XepOpt:Hangcheck:UnderLockMaxCallDepth=0").underLockMaxCallDepth());
    assertEquals(
        Integer.MAX_VALUE,
        parse("-XepOpt:Hangcheck:UnderLockMaxCallDepth=unlimited").underLockMaxCallDepth());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "two", "1.5"})
  void underLockMaxCallDepth_otherValuesRejectedWithAnExample(String value) {
    InvalidHangcheckFlagException e =
        assertThrows(
            InvalidHangcheckFlagException.class,
            () -> parse("-XepOpt:Hangcheck:UnderLockMaxCallDepth=" + value));

    assertTrue(e.getMessage().startsWith("-XepOpt:Hangcheck:UnderLockMaxCallDepth: '" + value + "' is "));
    assertTrue(e.getMessage().contains("write 0, a positive number or unlimited"));
    assertTrue(e.getMessage().endsWith("(example: -XepOpt:Hangcheck:UnderLockMaxCallDepth=4)"));
  }

  @Test
  void noFlags_givesDefaults() {
    HangcheckConfig config = HangcheckConfig.fromFlags(ErrorProneFlags.empty());

    assertEquals(HangcheckConfig.defaults().toString(), config.toString());
  }

  @Test
  void otherChecksFlags_areIgnored() {
    HangcheckConfig config = parse("-XepOpt:NullAway:AnnotatedPackages=com.acme");

    assertEquals(HangcheckConfig.defaults().toString(), config.toString());
  }

  @Test
  void nonBlockingAnnotations_addedToTheBuiltIns() {
    HangcheckConfig config =
        parse("-XepOpt:Hangcheck:NonBlockingAnnotations= com.acme.EventLoop ,com.acme.ui.OnUi ");

    assertTrue(config.nonBlockingAnnotations().containsAll(KnownAnnotations.NON_BLOCKING));
    assertTrue(config.nonBlockingAnnotations().contains("com.acme.EventLoop"));
    assertTrue(config.nonBlockingAnnotations().contains("com.acme.ui.OnUi"));
    assertEquals(KnownAnnotations.NON_BLOCKING.size() + 2, config.nonBlockingAnnotations().size());
  }

  @Test
  void nonBlockingMethods_parsedWithWhitespace() {
    HangcheckConfig config =
        parse(
            "-XepOpt:Hangcheck:NonBlockingMethods="
                + " io.netty.channel.ChannelInboundHandler#channelRead , "
                + " com.acme.EventHandler#onEvent");

    assertEquals(
        ImmutableList.of(
            new MethodRef("io.netty.channel.ChannelInboundHandler", "channelRead"),
            new MethodRef("com.acme.EventHandler", "onEvent")),
        config.nonBlockingMethods());
  }

  @Test
  void blockingMethods_parsedWithoutDuplicates() {
    HangcheckConfig config =
        parse(
            "-XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query, com.acme.Cache#load,"
                + "com.acme.Db#query,com.acme.Db.Pool#<init>");

    assertEquals(
        ImmutableList.of(
            new MethodRef("com.acme.Db", "query"),
            new MethodRef("com.acme.Cache", "load"),
            new MethodRef("com.acme.Db.Pool", "<init>")),
        config.blockingMethods());
    assertTrue(config.blockingMethods().get(2).isConstructor());
  }

  @Test
  void methodRef_toString() {
    assertEquals("com.acme.Db#query", new MethodRef("com.acme.Db", "query").toString());
  }

  @Test
  void underLockCategories_replaceTheDefault_ignoringCase() {
    HangcheckConfig config = parse("-XepOpt:Hangcheck:UnderLockCategories= file, PROCESS ,Sleep");

    assertEquals(
        ImmutableSet.of(BlockingCategory.SLEEP, BlockingCategory.FILE, BlockingCategory.PROCESS),
        config.underLockCategories());
  }

  @Test
  void underLockCategories_emptyMeansNone() {
    HangcheckConfig config = parse("-XepOpt:Hangcheck:UnderLockCategories=");

    assertEquals(ImmutableSet.of(), config.underLockCategories());
  }

  @Test
  void emptyMethodLists_areEmpty() {
    HangcheckConfig config =
        parseAll("-XepOpt:Hangcheck:BlockingMethods=", "-XepOpt:Hangcheck:NonBlockingMethods= ");

    assertEquals(ImmutableList.of(), config.blockingMethods());
    assertEquals(ImmutableList.of(), config.nonBlockingMethods());
  }

  @Test
  void methodWithoutHash_rejectedWithTheExactMessage() {
    InvalidHangcheckFlagException e =
        assertThrows(
            InvalidHangcheckFlagException.class,
            () -> parse("-XepOpt:Hangcheck:BlockingMethods=com.acme.Db.query"));

    assertEquals(
        "-XepOpt:Hangcheck:BlockingMethods: 'com.acme.Db.query' is not of the form pkg.Type#method "
            + BLOCKING_METHODS_EXAMPLE,
        e.getMessage());
  }

  @Test
  void invalidFlags_areIllegalArguments() {
    assertThrows(
        IllegalArgumentException.class,
        () -> parse("-XepOpt:Hangcheck:BlockingMethods=com.acme.Db.query"));
  }

  @Test
  void methodWithTwoHashes_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query#all",
        "-XepOpt:Hangcheck:BlockingMethods: 'com.acme.Db#query#all'",
        "is not of the form pkg.Type#method",
        BLOCKING_METHODS_EXAMPLE);
  }

  @Test
  void methodWithoutType_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:BlockingMethods=#query",
        "'#query' has no type before '#'",
        BLOCKING_METHODS_EXAMPLE);
  }

  @Test
  void methodWithoutName_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:BlockingMethods=com.acme.Db#",
        "'com.acme.Db#' has no method name after '#'",
        BLOCKING_METHODS_EXAMPLE);
  }

  @Test
  void methodWithInvalidName_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:BlockingMethods=com.acme.Db#run-query",
        "'com.acme.Db#run-query' has 'run-query' as its method name, which is not a Java"
            + " identifier",
        BLOCKING_METHODS_EXAMPLE);
  }

  @Test
  void methodWithKeywordName_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:NonBlockingMethods=com.acme.Handler#new",
        "-XepOpt:Hangcheck:NonBlockingMethods: 'com.acme.Handler#new' has 'new' as its method name",
        "(example: -XepOpt:Hangcheck:NonBlockingMethods=io.netty.channel.ChannelInboundHandler"
            + "#channelRead,com.acme.EventHandler#onEvent)");
  }

  @Test
  void constructorsAreNotNonBlockingMethods() {
    assertRejected(
        "-XepOpt:Hangcheck:NonBlockingMethods=com.acme.Handler#<init>",
        "'com.acme.Handler#<init>' has '<init>' as its method name, which is not a Java"
            + " identifier");
  }

  @Test
  void methodWithParameterList_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query(java.lang.String)",
        "'com.acme.Db#query(java.lang.String)' selects an overload",
        "covers every overload",
        BLOCKING_METHODS_EXAMPLE);
  }

  @Test
  void methodOfInvalidType_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:BlockingMethods=com..Db#query",
        "'com..Db#query' has 'com..Db' as its type, which is not a fully qualified Java type name",
        BLOCKING_METHODS_EXAMPLE);
  }

  @Test
  void methodOfTypeWithoutPackage_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:BlockingMethods=Db#query",
        "'Db#query' has 'Db' as its type, which has no package",
        BLOCKING_METHODS_EXAMPLE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query,,com.acme.Cache#load",
        "-XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query,",
        "-XepOpt:Hangcheck:BlockingMethods=,com.acme.Db#query",
        "-XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query, ,com.acme.Cache#load"
      })
  void emptyElement_rejected(String flag) {
    assertRejected(flag, "has an empty element", BLOCKING_METHODS_EXAMPLE);
  }

  @Test
  void flagWithoutValue_rejected() {
    // Error Prone gives a flag without "=value" the value "true".
    assertRejected(
        "-XepOpt:Hangcheck:BlockingMethods",
        "'true' is not of the form pkg.Type#method",
        BLOCKING_METHODS_EXAMPLE);
  }

  @Test
  void annotationWithAt_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:NonBlockingAnnotations=@com.acme.EventLoop",
        "-XepOpt:Hangcheck:NonBlockingAnnotations: '@com.acme.EventLoop' starts with '@'",
        "(example: -XepOpt:Hangcheck:NonBlockingAnnotations=com.acme.EventLoopThread,"
            + "com.acme.ui.OnUiThread)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"com.acme.", "com.acme.Event Loop", "com.acme.class", "com.acme.Loop#x"})
  void annotationNotAQualifiedName_rejected(String name) {
    assertRejected(
        "-XepOpt:Hangcheck:NonBlockingAnnotations=" + name,
        "'" + name + "' is not a fully qualified Java annotation name",
        "(example: -XepOpt:Hangcheck:NonBlockingAnnotations=");
  }

  @Test
  void annotationWithoutPackage_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:NonBlockingAnnotations=EventLoop",
        "'EventLoop' has no package; write the fully qualified annotation name");
  }

  @Test
  void unknownCategory_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:UnderLockCategories=SLEEP,SLEPE",
        "-XepOpt:Hangcheck:UnderLockCategories: 'SLEPE' is not a blocking category; did you mean"
            + " SLEEP? The categories are SLEEP, WAIT, FILE, NETWORK, DATABASE, PROCESS, DECLARED",
        "(example: -XepOpt:Hangcheck:UnderLockCategories=SLEEP,WAIT,NETWORK,DATABASE,DECLARED)");
  }

  @Test
  void emptyCategory_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:UnderLockCategories=SLEEP,,WAIT", "'SLEEP,,WAIT' has an empty element");
  }

  @Test
  void unknownHangcheckFlag_rejected() {
    assertRejected(
        "-XepOpt:Hangcheck:BlockingMethod=com.acme.Db#query",
        "'Hangcheck:BlockingMethod' is not a Hangcheck flag",
        "-XepOpt:Hangcheck:NonBlockingAnnotations, -XepOpt:Hangcheck:NonBlockingMethods,"
            + " -XepOpt:Hangcheck:BlockingMethods, -XepOpt:Hangcheck:UnderLockCategories",
        BLOCKING_METHODS_EXAMPLE);
  }

  @Test
  void hangcheckFlagInTheWrongCase_rejected() {
    assertRejected(
        "-XepOpt:hangcheck:BlockingMethods=com.acme.Db#query",
        "'hangcheck:BlockingMethods' is not a Hangcheck flag");
  }

  private static HangcheckConfig parse(String flag) {
    return parseAll(flag);
  }

  private static HangcheckConfig parseAll(String... flags) {
    ErrorProneFlags.Builder builder = ErrorProneFlags.builder();
    for (String flag : flags) {
      builder.parseFlag(flag);
    }
    return HangcheckConfig.fromFlags(builder.build());
  }

  private static void assertRejected(String flag, String... messageFragments) {
    InvalidHangcheckFlagException e =
        assertThrows(InvalidHangcheckFlagException.class, () -> parse(flag));
    for (String fragment : messageFragments) {
      assertTrue(
          e.getMessage().contains(fragment),
          () ->
              "Expected the message to contain\n  " + fragment + "\nbut was\n  " + e.getMessage());
    }
  }
}
