package dev.hangcheck.catalog;

import static com.google.common.base.Preconditions.checkArgument;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.ImmutableSet;
import com.google.common.io.Resources;
import com.google.errorprone.VisitorState;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.CompletionFailure;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type.ArrayType;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.TypeTag;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Name;
import com.sun.tools.javac.util.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;
import org.jspecify.annotations.Nullable;

/**
 * Tells which calls block: the JDK and library methods of {@code blocking-methods.txt}, the methods
 * of {@code -XepOpt:Hangcheck:BlockingMethods}, and code annotated {@code @Blocking}.
 *
 * <p>{@link #classify} runs for every call of a compilation, so it is built for speed: entries are
 * indexed by method name, the subtype test walks javac's cached supertype closure comparing
 * interned names (no class lookup, so a library that is not on the classpath costs nothing and
 * matches nothing), and every answer is memoized per method symbol.
 *
 * <p>Symbols belong to one javac {@link Context}; the memo is dropped when a call comes from
 * another one. An instance is meant to be owned by one checker instance, which Error Prone uses on
 * one thread.
 */
public final class BlockingCatalog {

  private static final String CATALOG_RESOURCE = "blocking-methods.txt";

  private static final String CONSTRUCTOR_NAME = "<init>";
  private static final String WHOLE_TYPE = "*";

  private static final String TIME_UNIT = "java.util.concurrent.TimeUnit";
  private static final String DURATION = "java.time.Duration";

  /** Waits whose name says they end by a deadline, whatever their parameters. */
  private static final ImmutableSet<String> TIMED_BY_NAME =
      ImmutableSet.of("awaitNanos", "awaitUntil", "parkNanos", "parkUntil");

  /**
   * Waits that take their timeout as a plain {@code long}: {@code Object.wait(long)}, {@code
   * Thread.join(long)}, Netty's {@code Future.await(long)}.
   */
  private static final ImmutableSet<String> TIMED_BY_LONG_PARAMETER =
      ImmutableSet.of("wait", "join", "await", "awaitUninterruptibly");

  private static final ImmutableSet<String> PRIMITIVE_TYPES =
      ImmutableSet.of("boolean", "byte", "char", "short", "int", "long", "float", "double");

  /** A trailing {@code since=21}: the JDK release that added the member. */
  private static final Pattern SINCE = Pattern.compile("\\s+since=(\\d+)$");

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Splitter PARAMETER_SPLITTER = Splitter.on(',');

  /** Parsed once: the catalog is immutable data, unlike symbols, which are per compilation. */
  private static final ImmutableList<Entry> BUILT_IN_ENTRIES = loadBuiltInEntries();

  /** Exact method names (and {@code <init>}) to their entries, in catalog order. */
  private final ImmutableListMultimap<String, Entry> entriesByName;

  /** {@code prefix*} entries, longest prefix first. */
  private final ImmutableList<Entry> prefixEntries;

  /** {@code Type#*} entries, by type name. */
  private final ImmutableListMultimap<String, Entry> wholeTypeEntries;

  private final ImmutableSet<String> nonBlockingAnnotations;

  private final CompilationScoped<PerCompilation> perCompilation =
      new CompilationScoped<>(PerCompilation::new);

  private BlockingCatalog(List<Entry> entries, ImmutableSet<String> nonBlockingAnnotations) {
    ImmutableListMultimap.Builder<String, Entry> byName = ImmutableListMultimap.builder();
    ImmutableListMultimap.Builder<String, Entry> wholeType = ImmutableListMultimap.builder();
    List<Entry> prefixes = new ArrayList<>();
    for (Entry entry : entries) {
      switch (entry.kind()) {
        case EXACT -> byName.put(entry.memberName(), entry);
        case PREFIX -> prefixes.add(entry);
        case WHOLE_TYPE -> wholeType.put(entry.typeName(), entry);
      }
    }
    this.entriesByName = byName.build();
    this.wholeTypeEntries = wholeType.build();
    prefixes.sort(Comparator.comparingInt((Entry entry) -> entry.memberName().length()).reversed());
    this.prefixEntries = ImmutableList.copyOf(prefixes);
    this.nonBlockingAnnotations = nonBlockingAnnotations;
  }

  /**
   * The built-in catalog plus the methods of {@code -XepOpt:Hangcheck:BlockingMethods} ({@code
   * blockingMethods}), which are
   * {@link BlockingCategory#DECLARED}.
   */
  public static BlockingCatalog create(
      List<MethodRef> blockingMethods, ImmutableSet<String> nonBlockingAnnotations) {
    List<Entry> entries = new ArrayList<>(BUILT_IN_ENTRIES);
    for (MethodRef method : blockingMethods) {
      entries.add(
          Entry.create(
              BlockingCategory.DECLARED,
              method.typeName(),
              EntryKind.EXACT,
              method.methodName(),
              /* parameterTypes= */ null));
    }
    return new BlockingCatalog(entries, nonBlockingAnnotations);
  }

  /**
   * How a call to {@code method} blocks, or null if it does not.
   *
   * <p>A catalog entry {@code Type#name} matches when the method has that name and is declared in
   * {@code Type} or a subtype of it; then a method or constructor annotated with a blocking
   * annotation ({@link KnownAnnotations#BLOCKING}), or declared in a type annotated with one, is
   * {@link BlockingCategory#DECLARED}, unless the method itself carries a non-blocking annotation.
   */
  public @Nullable BlockingMethod classify(MethodSymbol method, VisitorState state) {
    PerCompilation compilation = perCompilation(state);
    Optional<BlockingMethod> known = compilation.classifications.get(method);
    if (known == null) {
      known = Optional.ofNullable(computeClassification(method, compilation));
      compilation.classifications.put(method, known);
    }
    return known.orElse(null);
  }

  /** Whether any catalog entry names this method: a cheap test before anything costlier. */
  public boolean hasEntriesNamed(MethodSymbol method, VisitorState state) {
    return !perCompilation(state).candidates(method.name, this).isEmpty();
  }

  /**
   * Like {@link #classify(MethodSymbol, VisitorState)}, and also matches a method inherited by the
   * receiver's type: {@code fileWriter.write(s)} calls {@code OutputStreamWriter.write}, which is
   * not in the catalog, but the receiver is a {@code FileWriter}, whose {@code write*} is.
   *
   * @param receiverType the static type of the receiver, or null (static calls, constructors)
   */
  public @Nullable BlockingMethod classify(
      MethodSymbol method, @Nullable Type receiverType, VisitorState state) {
    BlockingMethod declared = classify(method, state);
    if (declared != null || receiverType == null || method.isConstructor() || method.isStatic()) {
      return declared;
    }
    Type erasedReceiver = state.getTypes().erasure(receiverType);
    if (!erasedReceiver.hasTag(TypeTag.CLASS)
        || !(erasedReceiver.tsym instanceof ClassSymbol receiverClass)
        || receiverClass == method.owner) {
      return null;
    }
    PerCompilation compilation = perCompilation(state);
    if (compilation.candidates(method.name, this).isEmpty()) {
      return null; // most calls: no entry has this method's name
    }
    Map<ClassSymbol, Optional<BlockingMethod>> byReceiver =
        compilation.inheritedClassifications.computeIfAbsent(method, k -> new IdentityHashMap<>());
    Optional<BlockingMethod> known = byReceiver.get(receiverClass);
    if (known == null) {
      known = Optional.ofNullable(matchEntries(method, receiverClass, compilation));
      byReceiver.put(receiverClass, known);
    }
    return known.orElse(null);
  }

  /**
   * Whether a call to this (blocking) method waits at most for a timeout it is given: {@code
   * Future.get(long, TimeUnit)}, {@code Object.wait(long)}, {@code Condition.awaitNanos(long)}.
   *
   * <p>Meant for methods {@link #classify} matched: it looks at names and parameter types only. A
   * sleep is never a timed wait: it always lasts its full time.
   */
  public static boolean isTimed(MethodSymbol method) {
    String name = method.getSimpleName().toString();
    if (name.startsWith("sleep")) {
      return false;
    }
    if (TIMED_BY_NAME.contains(name)) {
      return true;
    }
    boolean takesLong = false;
    for (Type parameter : method.type.getParameterTypes()) {
      Name parameterType = parameter.tsym.getQualifiedName();
      if (parameterType.contentEquals(TIME_UNIT) || parameterType.contentEquals(DURATION)) {
        return true;
      }
      takesLong |= parameter.hasTag(TypeTag.LONG);
    }
    return takesLong && TIMED_BY_LONG_PARAMETER.contains(name);
  }

  private @Nullable BlockingMethod computeClassification(
      MethodSymbol method, PerCompilation compilation) {
    BlockingMethod fromCatalog = matchEntries(method, method.enclClass(), compilation);
    if (fromCatalog != null) {
      return fromCatalog;
    }
    return declaredByAnnotation(method);
  }

  /** The first entry for {@code method} whose type is {@code type} or one of its supertypes. */
  private @Nullable BlockingMethod matchEntries(
      MethodSymbol method, ClassSymbol type, PerCompilation compilation) {
    for (Entry entry : compilation.candidates(method.getSimpleName(), this)) {
      if (entry.matches(method, type, compilation)) {
        return entry.kind() == EntryKind.EXACT
            ? entry.blockingMethod()
            : new BlockingMethod(entry.category(), entry.typeName() + "#" + method.getSimpleName());
      }
    }
    if (!wholeTypeEntries.isEmpty() && !method.isConstructor() && type == method.owner) {
      ImmutableList<Entry> entries = wholeTypeEntries.get(type.getQualifiedName().toString());
      if (!entries.isEmpty()) {
        Entry entry = entries.get(0);
        return new BlockingMethod(
            entry.category(), entry.typeName() + "#" + method.getSimpleName());
      }
    }
    return null;
  }

  private @Nullable BlockingMethod declaredByAnnotation(MethodSymbol method) {
    String onMethod = KnownAnnotations.findAnnotation(method, KnownAnnotations.BLOCKING);
    if (onMethod != null) {
      return new BlockingMethod(BlockingCategory.DECLARED, KnownAnnotations.display(onMethod));
    }
    // A method declared non-blocking inside a blocking type is the type's one exception.
    if (KnownAnnotations.findAnnotation(method, nonBlockingAnnotations) != null) {
      return null;
    }
    String onType = KnownAnnotations.findAnnotation(method.owner, KnownAnnotations.BLOCKING);
    if (onType != null) {
      return new BlockingMethod(BlockingCategory.DECLARED, KnownAnnotations.display(onType));
    }
    return null;
  }

  private PerCompilation perCompilation(VisitorState state) {
    return perCompilation.get(state);
  }

  /** Exact-name entries first (catalog order), then prefix entries (longest prefix first). */
  private ImmutableList<Entry> candidatesNamed(String name) {
    ImmutableList.Builder<Entry> candidates = ImmutableList.builder();
    candidates.addAll(entriesByName.get(name));
    for (Entry entry : prefixEntries) {
      if (name.startsWith(entry.memberName())) {
        candidates.add(entry);
      }
    }
    return candidates.build();
  }

  /**
   * Whether {@code type} is the type named {@code typeName} (canonical or binary name, interned in
   * the compilation's name table) or a subtype of it. Only the supertypes of {@code type} are
   * looked at, so a type missing from the classpath is never looked up, and simply not found.
   */
  /** As {@link #isSameOrSubtype(ClassSymbol, Name, Types)}, for a canonical name as a String. */
  static boolean isSameOrSubtype(ClassSymbol type, String typeName, Types types) {
    return hasSupertype(type, symbol -> symbol.getQualifiedName().contentEquals(typeName), types);
  }

  static boolean isSameOrSubtype(ClassSymbol type, Name typeName, Types types) {
    return hasSupertype(
        type,
        symbol -> symbol.getQualifiedName() == typeName || symbol.flatName() == typeName,
        types);
  }

  /** Whether the type or one of its supertypes is a {@code wanted} one. */
  private static boolean hasSupertype(ClassSymbol type, Predicate<Symbol> wanted, Types types) {
    try {
      for (Type supertype : types.closure(type.type)) {
        if (supertype.tsym != null && wanted.test(supertype.tsym)) {
          return true;
        }
      }
    } catch (CompletionFailure e) {
      // A supertype is missing from the classpath: the types we can see did not match.
    }
    return false;
  }

  /** The built-in entries; for tests of the catalog's content. */
  static ImmutableList<Entry> builtInEntries() {
    return BUILT_IN_ENTRIES;
  }

  private static ImmutableList<Entry> loadBuiltInEntries() {
    URL resource = BlockingCatalog.class.getResource(CATALOG_RESOURCE);
    checkArgument(resource != null, "%s is missing from the classpath", CATALOG_RESOURCE);
    try {
      return parse(CATALOG_RESOURCE, Resources.readLines(resource, UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + CATALOG_RESOURCE, e);
    }
  }

  /**
   * Parses catalog lines (the format is described at the top of {@code blocking-methods.txt}).
   *
   * @throws IllegalArgumentException naming the file and line of a malformed entry
   */
  static ImmutableList<Entry> parse(String fileName, List<String> lines) {
    ImmutableList.Builder<Entry> entries = ImmutableList.builder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        entries.add(parseEntry(line));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            fileName + ":" + (i + 1) + ": " + e.getMessage() + ": " + line, e);
      }
    }
    return entries.build();
  }

  private static Entry parseEntry(String line) {
    Matcher since = SINCE.matcher(line);
    if (since.find()) {
      int jdk = Integer.parseInt(since.group(1));
      checkArgument(jdk > 17, "'since=%s' is for JDK members newer than 17", jdk);
      return parseEntry(line.substring(0, since.start())).since(jdk);
    }
    String[] categoryAndMember = WHITESPACE.split(line, 2);
    checkArgument(categoryAndMember.length == 2, "expected CATEGORY pkg.Type#member");
    BlockingCategory category = parseCategory(categoryAndMember[0]);
    // Spaces are allowed after the commas of a parameter list.
    String member = WHITESPACE.matcher(categoryAndMember[1]).replaceAll("");
    int hash = member.indexOf('#');
    checkArgument(
        hash > 0 && hash == member.lastIndexOf('#'), "expected exactly one '#' after the type");
    String typeName = member.substring(0, hash);
    checkArgument(isQualifiedName(typeName), "'%s' is not a qualified type name", typeName);
    String memberName = member.substring(hash + 1);
    ImmutableList<String> parameterTypes = null;
    int openParen = memberName.indexOf('(');
    if (openParen >= 0) {
      checkArgument(memberName.endsWith(")"), "the parameter list does not end with ')'");
      parameterTypes =
          parseParameterTypes(memberName.substring(openParen + 1, memberName.length() - 1));
      memberName = memberName.substring(0, openParen);
    }
    if (memberName.equals(WHOLE_TYPE)) {
      checkArgument(parameterTypes == null, "'*' takes no parameter list");
      return Entry.create(category, typeName, EntryKind.WHOLE_TYPE, "", null);
    }
    if (memberName.endsWith("*")) {
      String prefix = memberName.substring(0, memberName.length() - 1);
      checkArgument(isIdentifier(prefix), "'%s' is not a method name prefix", prefix);
      checkArgument(parameterTypes == null, "a name prefix takes no parameter list");
      return Entry.create(category, typeName, EntryKind.PREFIX, prefix, null);
    }
    checkArgument(
        memberName.equals(CONSTRUCTOR_NAME) || isIdentifier(memberName),
        "'%s' is not a method name",
        memberName);
    return Entry.create(category, typeName, EntryKind.EXACT, memberName, parameterTypes);
  }

  private static BlockingCategory parseCategory(String name) {
    for (BlockingCategory category : BlockingCategory.values()) {
      // DECLARED is what users declare (flags, annotations); the catalog says why a call blocks.
      if (category != BlockingCategory.DECLARED && category.name().equals(name)) {
        return category;
      }
    }
    throw new IllegalArgumentException("'" + name + "' is not a catalog category");
  }

  private static ImmutableList<String> parseParameterTypes(String parameters) {
    if (parameters.isEmpty()) {
      return ImmutableList.of();
    }
    ImmutableList<String> types = ImmutableList.copyOf(PARAMETER_SPLITTER.split(parameters));
    for (String type : types) {
      String elementType = type;
      while (elementType.endsWith("[]")) {
        elementType = elementType.substring(0, elementType.length() - 2);
      }
      checkArgument(
          PRIMITIVE_TYPES.contains(elementType) || isQualifiedName(elementType),
          "'%s' is not an erased parameter type (a primitive or a qualified name)",
          type);
    }
    return types;
  }

  private static boolean isQualifiedName(String name) {
    return SourceVersion.isName(name) && name.indexOf('.') > 0;
  }

  private static boolean isIdentifier(String name) {
    return SourceVersion.isIdentifier(name) && !SourceVersion.isKeyword(name);
  }

  /**
   * The erased type as the catalog writes it: {@code long}, {@code java.lang.String}, {@code
   * byte[]}.
   */
  private static String erasedTypeName(Type type, Types types) {
    Type erased = types.erasure(type);
    if (erased instanceof ArrayType array) {
      return erasedTypeName(array.elemtype, types) + "[]";
    }
    return erased.tsym.getQualifiedName().toString();
  }

  /** How an entry names its members. */
  enum EntryKind {
    /** {@code name}, {@code name(params)}, {@code <init>} or {@code <init>(params)}. */
    EXACT,
    /** {@code prefix*}. */
    PREFIX,
    /** {@code *}: every method declared in the type itself. */
    WHOLE_TYPE
  }

  /**
   * One catalog line, or one method of {@code -XepOpt:Hangcheck:BlockingMethods}.
   *
   * @param memberName the method name, {@code <init>}, the prefix of a {@link EntryKind#PREFIX}
   *     entry, or empty for {@link EntryKind#WHOLE_TYPE}
   * @param parameterTypes the erased parameter types selecting one overload, or null for all
   * @param blockingMethod what a match of an {@link EntryKind#EXACT} entry returns
   */
  record Entry(
      BlockingCategory category,
      String typeName,
      EntryKind kind,
      String memberName,
      @Nullable ImmutableList<String> parameterTypes,
      BlockingMethod blockingMethod,
      int sinceJdk) {

    static Entry create(
        BlockingCategory category,
        String typeName,
        EntryKind kind,
        String memberName,
        @Nullable ImmutableList<String> parameterTypes) {
      String text =
          typeName
              + "#"
              + (kind == EntryKind.WHOLE_TYPE ? WHOLE_TYPE : memberName)
              + (kind == EntryKind.PREFIX ? "*" : "")
              + (parameterTypes == null ? "" : "(" + String.join(",", parameterTypes) + ")");
      return new Entry(
          category,
          typeName,
          kind,
          memberName,
          parameterTypes,
          new BlockingMethod(category, text),
          0);
    }

    /** The same entry, for a member the JDK has since release {@code jdk} only. */
    Entry since(int jdk) {
      return new Entry(category, typeName, kind, memberName, parameterTypes, blockingMethod, jdk);
    }

    boolean isConstructor() {
      return kind == EntryKind.EXACT && memberName.equals(CONSTRUCTOR_NAME);
    }

    /** Whether this entry covers {@code method} as a member of {@code type}. */
    boolean matches(MethodSymbol method, ClassSymbol type, PerCompilation compilation) {
      if (isConstructor() != method.isConstructor()) {
        return false;
      }
      if (parameterTypes != null && !hasParameterTypes(method, compilation.types)) {
        return false;
      }
      Name entryType = compilation.typeName(typeName);
      if (isConstructor() && parameterTypes != null) {
        // A subclass constructor need not call this particular constructor of its superclass.
        return type.getQualifiedName() == entryType || type.flatName() == entryType;
      }
      return isSameOrSubtype(type, entryType, compilation.types);
    }

    private boolean hasParameterTypes(MethodSymbol method, Types types) {
      List<Type> actual = method.type.getParameterTypes();
      if (actual.size() != parameterTypes.size()) {
        return false;
      }
      for (int i = 0; i < actual.size(); i++) {
        if (!erasedTypeName(actual.get(i), types).equals(parameterTypes.get(i))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return category + " " + blockingMethod.entry();
    }
  }

  /** What is only valid within one javac compilation: symbols, names and memoized answers. */
  private static final class PerCompilation {
    final Types types;
    final Names names;
    final Map<MethodSymbol, Optional<BlockingMethod>> classifications = new IdentityHashMap<>();
    final Map<MethodSymbol, Map<ClassSymbol, Optional<BlockingMethod>>> inheritedClassifications =
        new IdentityHashMap<>();
    final Map<Name, ImmutableList<Entry>> candidatesByName = new IdentityHashMap<>();
    final Map<String, Name> typeNames = new HashMap<>();

    PerCompilation(VisitorState state) {
      this.types = state.getTypes();
      this.names = state.getNames();
    }

    ImmutableList<Entry> candidates(Name methodName, BlockingCatalog catalog) {
      // Names are interned per compilation, so identity is equality, and cheaper than a String.
      return candidatesByName.computeIfAbsent(
          methodName, name -> catalog.candidatesNamed(name.toString()));
    }

    Name typeName(String typeName) {
      return typeNames.computeIfAbsent(typeName, names::fromString);
    }
  }
}
