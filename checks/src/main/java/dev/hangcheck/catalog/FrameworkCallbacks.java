package dev.hangcheck.catalog;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Framework methods that their framework calls on a thread that must not block (an event loop, a
 * UI thread), told by the types that declare them. A method of user code is such a callback when it
 * overrides or implements one of them; a lambda or method reference, when its functional interface
 * method is one.
 */
final class FrameworkCallbacks {

  /** A kind of framework callback: which declared methods it covers, and where they run. */
  private record Rule(Framework framework, Matcher matcher, String context) {}

  @FunctionalInterface
  private interface Matcher {
    boolean matches(MethodSymbol declared, ClassSymbol owner, Types types);
  }

  /** Classes whose {@code on...} methods Android calls on the main thread. */
  private static final ImmutableSet<String> ANDROID_COMPONENTS =
      ImmutableSet.of(
          "android.app.Activity",
          "android.app.Fragment",
          "androidx.fragment.app.Fragment",
          "android.app.Service",
          "android.content.BroadcastReceiver",
          "android.view.View");

  private static final ImmutableList<Rule> RULES =
      ImmutableList.of(
          // Every method a Netty handler type declares is called by the channel pipeline on the
          // channel's event loop, except isSharable(), which pipeline.addLast() asks its caller.
          new Rule(
              Framework.NETTY,
              (method, owner, types) ->
                  isIn(owner, "io.netty.")
                      && BlockingCatalog.isSameOrSubtype(owner, "io.netty.channel.ChannelHandler", types)
                      && !method.getSimpleName().contentEquals("isSharable"),
              "a Netty channel handler callback, run on the event loop"),
          new Rule(
              Framework.NETTY,
              declaredIn("io.netty.util.concurrent.GenericFutureListener", "operationComplete"),
              "a Netty future listener, run on the event loop"),
          new Rule(
              Framework.VERTX,
              declaredIn(
                  ImmutableSet.of(
                      "io.vertx.core.AbstractVerticle",
                      "io.vertx.core.VerticleBase",
                      "io.vertx.core.Verticle"),
                  ImmutableSet.of("start", "stop")),
              "a Vert.x verticle's start or stop, run on its event loop"),
          new Rule(
              Framework.WEBFLUX,
              declaredIn(
                  "org.springframework.web.reactive.function.server.HandlerFunction", "handle"),
              "a Spring WebFlux handler function, run on the event loop"),
          new Rule(
              Framework.WEBFLUX,
              declaredIn("org.springframework.web.server.WebFilter", "filter"),
              "a Spring WebFlux filter, run on the event loop"),
          // The listener interfaces of AWT and Swing: components call them on the event dispatch
          // thread, and so does javax.swing.Timer.
          new Rule(
              Framework.SWING,
              (method, owner, types) ->
                  (isIn(owner, "java.awt.event.") || isIn(owner, "javax.swing.event."))
                      && BlockingCatalog.isSameOrSubtype(owner, "java.util.EventListener", types),
              "a Swing/AWT listener callback, run on the event dispatch thread"),
          new Rule(
              Framework.SWING,
              declaredIn(ImmutableSet.of("javax.swing.SwingWorker"), ImmutableSet.of("process", "done")),
              "a SwingWorker callback, run on the event dispatch thread"),
          new Rule(
              Framework.SWING,
              (method, owner, types) ->
                  (owner.getQualifiedName().contentEquals("java.awt.Component")
                          || owner.getQualifiedName().contentEquals("javax.swing.JComponent"))
                      && method.getSimpleName().toString().startsWith("paint"),
              "painting code, run on the event dispatch thread"),
          new Rule(
              Framework.JAVAFX,
              declaredIn("javafx.event.EventHandler", "handle"),
              "a JavaFX event handler, run on the JavaFX application thread"),
          new Rule(
              Framework.JAVAFX,
              declaredIn(ImmutableSet.of("javafx.application.Application"), ImmutableSet.of("start", "stop")),
              "a JavaFX application's start or stop, run on the JavaFX application thread"),
          new Rule(
              Framework.ANDROID,
              (method, owner, types) ->
                  ANDROID_COMPONENTS.contains(owner.getQualifiedName().toString())
                      && method.getSimpleName().toString().startsWith("on"),
              "an Android lifecycle callback, run on the main thread"),
          // View.OnClickListener, AdapterView.OnItemClickListener, SeekBar.OnSeekBarChangeListener.
          new Rule(
              Framework.ANDROID,
              (method, owner, types) -> {
                String name = owner.getSimpleName().toString();
                return (isIn(owner, "android.view.") || isIn(owner, "android.widget."))
                    && name.startsWith("On")
                    && name.endsWith("Listener");
              },
              "an Android UI listener, run on the main thread"));

  private FrameworkCallbacks() {}

  /**
   * Where {@code declared}, a method of a framework type, is run, e.g. {@code a Netty channel
   * handler callback, run on the event loop}; or null when it is no callback of an enabled
   * framework.
   */
  static @Nullable String contextOf(MethodSymbol declared, Set<Framework> enabled, Types types) {
    if (!(declared.owner instanceof ClassSymbol owner) || !isFrameworkType(owner)) {
      return null;
    }
    for (Rule rule : RULES) {
      if (enabled.contains(rule.framework()) && rule.matcher().matches(declared, owner, types)) {
        return rule.context();
      }
    }
    return null;
  }

  /** The packages the rules' types are in: a method declared elsewhere is no callback. */
  private static final ImmutableList<String> FRAMEWORK_PACKAGES =
      ImmutableList.of(
          "io.netty.", "io.vertx.", "org.springframework.", "java.awt.", "javax.swing.", "javafx.",
          "android.", "androidx.");

  private static boolean isFrameworkType(ClassSymbol owner) {
    String name = owner.getQualifiedName().toString();
    for (String framework : FRAMEWORK_PACKAGES) {
      if (name.startsWith(framework)) {
        return true;
      }
    }
    return false;
  }

  private static Matcher declaredIn(String typeName, String methodName) {
    return declaredIn(ImmutableSet.of(typeName), ImmutableSet.of(methodName));
  }

  private static Matcher declaredIn(Set<String> typeNames, Set<String> methodNames) {
    return (method, owner, types) ->
        methodNames.contains(method.getSimpleName().toString())
            && typeNames.contains(owner.getQualifiedName().toString());
  }

  private static boolean isIn(ClassSymbol owner, String packagePrefix) {
    return owner.getQualifiedName().toString().startsWith(packagePrefix);
  }
}
