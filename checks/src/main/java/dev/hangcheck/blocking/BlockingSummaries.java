package dev.hangcheck.blocking;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.tree.JCTree;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.LibrarySummaries;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.engine.TransitiveFacts;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;

/**
 * Writes what the methods compiled in this run block on beside their class files, one {@link
 * LibrarySummaries} resource per top-level class that blocks (and removes the old one of a class
 * that no longer does). A later run that has these classes on its
 * class path follows its blocking calls into them as if they were in the catalog.
 */
public final class BlockingSummaries {

  /**
   * How many calls below a method its blocking may be to be written: a call of the method under a
   * lock then reaches no deeper than BlockingCallUnderLock follows code compiled from source by
   * default (the call, and at most one more). Deeper chains are mostly paths no execution takes,
   * and they made most of the summaries' size (netty: 24-call chains).
   */
  static final int MAX_DEPTH = 1;

  private BlockingSummaries() {}

  /**
   * Writes the summaries of every top-level class of {@code index}; does nothing when the run has
   * no class output (javac without {@code -d}).
   */
  public static void write(SourceIndex index, JavaFileManager fileManager) throws IOException {
    if (!fileManager.hasLocation(StandardLocation.CLASS_OUTPUT)) {
      return;
    }
    TransitiveFacts<BlockingFact> blocks =
        new TransitiveFacts<>(
            index,
            BlockingFact::direct,
            body ->
                !body.isSuppressed(UnderLockAnalysis.CHECK_NAME)
                    && !body.isSuppressed(NonBlockingAnalysis.CHECK_NAME),
            (call, callee, fact) -> BlockingFact.throughCall(call, callee, fact, index));
    for (CompilationUnitTree unit : index.units()) {
      for (Tree declaration : unit.getTypeDecls()) {
        if (declaration instanceof JCTree.JCClassDecl cls && cls.sym != null) {
          List<LibrarySummaries.Entry> entries = new ArrayList<>();
          collect(cls, index, blocks, entries);
          if (entries.isEmpty()) {
            deleteOld(fileManager, cls.sym);
          } else {
            writeFile(fileManager, cls.sym, LibrarySummaries.text(entries));
          }
        }
      }
    }
  }

  /** The entries of a class and of its member classes (not of local or anonymous ones). */
  private static void collect(
      JCTree.JCClassDecl cls,
      SourceIndex index,
      TransitiveFacts<BlockingFact> blocks,
      List<LibrarySummaries.Entry> entries) {
    for (JCTree member : cls.defs) {
      if (member instanceof JCTree.JCClassDecl nested && nested.sym != null) {
        collect(nested, index, blocks, entries);
      } else if (member instanceof JCTree.JCMethodDecl method
          && method.sym != null
          && (method.sym.flags() & Flags.PRIVATE) == 0
          && method.getBody() != null) {
        Body body = index.bodyOf(method.sym);
        if (body != null
            && !body.isSuppressed(UnderLockAnalysis.CHECK_NAME)
            && !body.isSuppressed(NonBlockingAnalysis.CHECK_NAME)) {
          entries.addAll(entriesOf(body, method.sym, index, blocks));
        }
      }
    }
  }

  /**
   * One entry per category: the way the method blocks with the fewest calls, if it is at most
   * {@link #MAX_DEPTH} calls down. Left out: waits
   * that release a lock the caller holds, and blocking that only some classes of the method's own
   * object reach; what they mean depends on the caller, which a summary does not know.
   */
  private static List<LibrarySummaries.Entry> entriesOf(
      Body body, MethodSymbol method, SourceIndex index, TransitiveFacts<BlockingFact> blocks) {
    Map<BlockingCategory, BlockingFact> shallowest = new EnumMap<>(BlockingCategory.class);
    for (BlockingFact fact : blocks.of(body).keySet()) {
      if (fact.releasesCallerLock()
          || fact.thisClass() != null
          || blocks.length(body, fact) > MAX_DEPTH) {
        continue;
      }
      BlockingFact known = shallowest.get(fact.category());
      if (known == null || blocks.length(body, fact) < blocks.length(body, known)) {
        shallowest.put(fact.category(), fact);
      }
    }
    String key = LibrarySummaries.methodKey(method, index.types());
    List<LibrarySummaries.Entry> entries = new ArrayList<>();
    for (BlockingFact fact : shallowest.values()) {
      TransitiveFacts.Chain chain = blocks.chain(body, fact);
      var call = BlockingFact.callAt(chain.origin());
      String calls =
          chain.steps().isEmpty()
              ? call.callDisplay()
              : chain.calleesText() + " -> " + call.callDisplay();
      entries.add(
          new LibrarySummaries.Entry(
              key,
              fact.category(),
              fact.guard() == null ? -1 : fact.guard().parameter(),
              fact.guard() != null && fact.guard().required(),
              calls,
              chain.origin().fileAndLine(),
              call.timeoutIsConstant() ? call.timeout() : null));
    }
    return entries;
  }

  /**
   * Removes the summary an earlier build wrote for a class that no longer blocks (an incremental
   * build recompiling it into the same directory), so that it does not outlive the code.
   */
  private static void deleteOld(JavaFileManager fileManager, ClassSymbol cls) {
    try {
      FileObject old =
          fileManager.getFileForInput(
              StandardLocation.CLASS_OUTPUT, "", LibrarySummaries.resourceName(cls));
      if (old != null) {
        old.delete();
      }
    } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
      // A file manager that cannot look into its output has no old summary to leave behind.
    }
  }

  private static void writeFile(JavaFileManager fileManager, ClassSymbol cls, String text)
      throws IOException {
    FileObject file =
        fileManager.getFileForOutput(
            StandardLocation.CLASS_OUTPUT, "", LibrarySummaries.resourceName(cls), null);
    try (OutputStream out = file.openOutputStream()) {
      out.write(text.getBytes(UTF_8));
    }
  }
}
