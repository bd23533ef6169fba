package dev.hangcheck.frameworks;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.BlockingCallInNonBlockingContext;
import org.junit.jupiter.api.Test;

/** Netty's event loop, known without annotations: handler callbacks, event-loop tasks, listeners. */
final class NettyContextTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(BlockingCallInNonBlockingContext.class, getClass());

  @Test
  void handlerCallbacksRunOnTheEventLoop() {
    helper
        .addSourceLines(
            "ConfigHandler.java",
            """
            import io.netty.channel.ChannelHandlerContext;
            import io.netty.channel.ChannelInboundHandlerAdapter;
            import io.netty.channel.ChannelOutboundHandlerAdapter;
            import io.netty.channel.ChannelPromise;
            import io.netty.channel.SimpleChannelInboundHandler;
            import java.nio.file.Files;
            import java.nio.file.Path;

            class ConfigHandler extends ChannelInboundHandlerAdapter {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                // BUG: Diagnostic contains: ConfigHandler.channelRead(ChannelHandlerContext, Object) (a Netty channel handler callback, run on the event loop) calls ConfigHandler.load() -> Files.readString(Path)
                ctx.writeAndFlush(load());
              }

              private String load() throws Exception {
                return Files.readString(Path.of("config.json"));
              }
            }

            class Greeter extends SimpleChannelInboundHandler<String> {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, String name) throws Exception {
                // BUG: Diagnostic contains: Greeter.channelRead0(ChannelHandlerContext, String) (a Netty channel handler callback, run on the event loop) calls Thread.sleep(long)
                Thread.sleep(100);
                ctx.writeAndFlush("hello " + name);
              }
            }

            class Auditor extends ChannelOutboundHandlerAdapter {
              @Override
              public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
                  throws Exception {
                // BUG: Diagnostic contains: (a Netty channel handler callback, run on the event loop) calls Files.writeString
                Files.writeString(Path.of("audit.log"), String.valueOf(msg));
                ctx.write(msg, promise);
              }

              // Not a callback: the pipeline asks it of whoever adds the handler.
              @Override
              public boolean isSharable() {
                try {
                  Thread.sleep(1);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return true;
              }
            }
            """)
        .doTest();
  }

  @Test
  void eventLoopTasksAndFutureListenersRunOnTheEventLoop() {
    helper
        .addSourceLines(
            "Scheduler.java",
            """
            import io.netty.channel.Channel;
            import io.netty.channel.ChannelFuture;
            import io.netty.channel.ChannelFutureListener;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.concurrent.TimeUnit;

            class Scheduler {
              void start(Channel channel) {
                // BUG: Diagnostic contains: a lambda in Scheduler.start(Channel) (a task run on a Netty event loop) calls Files.readAllBytes(Path)
                channel.eventLoop().schedule(() -> Files.readAllBytes(Path.of("state")), 1, TimeUnit.SECONDS);
                ChannelFuture closed = channel.closeFuture();
                // BUG: Diagnostic contains: a lambda in Scheduler.start(Channel) (a Netty future listener, run on the event loop) calls Thread.sleep(long)
                closed.addListener(future -> Thread.sleep(10));
                closed.addListener(
                    new ChannelFutureListener() {
                      @Override
                      public void operationComplete(ChannelFuture future) throws Exception {
                        // BUG: Diagnostic contains: (a Netty future listener, run on the event loop) calls Thread.sleep(long)
                        Thread.sleep(10);
                      }
                    });
                // BUG: Diagnostic contains: a method reference in Scheduler.start(Channel) (a task run on a Netty event loop) calls Scheduler.flushToDisk() -> Files.writeString
                channel.eventLoop().execute(this::flushToDisk);
              }

              void flushToDisk() {
                try {
                  Files.writeString(Path.of("state"), "x");
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void blockingWorkHandedToAnotherExecutorIsTheOffload() {
    helper
        .addSourceLines(
            "Offloading.java",
            """
            import io.netty.channel.ChannelHandlerContext;
            import io.netty.channel.ChannelInboundHandlerAdapter;
            import io.netty.util.concurrent.GlobalEventExecutor;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Executors;

            class Offloading extends ChannelInboundHandlerAdapter {
              private final ExecutorService blockingPool = Executors.newFixedThreadPool(4);

              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                blockingPool.execute(
                    () -> {
                      try {
                        String config = Files.readString(Path.of("config.json"));
                        ctx.executor().execute(() -> ctx.writeAndFlush(config));
                      } catch (Exception e) {
                        ctx.fireExceptionCaught(e);
                      }
                    });
              }

              // Netty's own place for work that must not run on an event loop.
              void archive() {
                GlobalEventExecutor.INSTANCE.execute(() -> reloadQuietly());
              }

              void reloadQuietly() {
                try {
                  reload();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }

              // Helper code that no event loop calls may block.
              String reload() throws Exception {
                return Files.readString(Path.of("config.json"));
              }
            }
            """)
        .doTest();
  }

  @Test
  void aHandlerAddedWithAnExecutorGroupOfItsOwnMayBlock() {
    helper
        .addSourceLines(
            "Server.java",
            """
            import io.netty.channel.ChannelHandlerContext;
            import io.netty.channel.ChannelInitializer;
            import io.netty.channel.SimpleChannelInboundHandler;
            import io.netty.channel.socket.SocketChannel;
            import io.netty.util.concurrent.DefaultEventExecutorGroup;
            import io.netty.util.concurrent.EventExecutorGroup;
            import java.sql.Connection;

            class QueryHandler extends SimpleChannelInboundHandler<String> {
              Connection connection;

              @Override
              protected void channelRead0(ChannelHandlerContext ctx, String sql) throws Exception {
                ctx.writeAndFlush(connection.createStatement().executeUpdate(sql));
              }
            }

            class EchoHandler extends SimpleChannelInboundHandler<String> {
              Connection connection;

              @Override
              protected void channelRead0(ChannelHandlerContext ctx, String sql) throws Exception {
                // BUG: Diagnostic contains: EchoHandler.channelRead0(ChannelHandlerContext, String) (a Netty channel handler callback, run on the event loop) calls Statement.executeUpdate(String)
                ctx.writeAndFlush(connection.createStatement().executeUpdate(sql));
              }
            }

            class Server extends ChannelInitializer<SocketChannel> {
              private final EventExecutorGroup database = new DefaultEventExecutorGroup(8);

              @Override
              protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(database, "query", new QueryHandler());
                channel.pipeline().addLast(null, "echo", new EchoHandler());
              }
            }
            """)
        .doTest();
  }

  @Test
  void theFlagSwitchesNettyOff() {
    helper
        .addSourceLines(
            "Quiet.java",
            """
            import io.netty.channel.ChannelHandlerContext;
            import io.netty.channel.ChannelInboundHandlerAdapter;

            class Quiet extends ChannelInboundHandlerAdapter {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                Thread.sleep(100);
              }
            }
            """)
        .setArgs("-XepOpt:Hangcheck:FrameworkContexts=vertx,reactor")
        .doTest();
  }
}
