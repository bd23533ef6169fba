package com.example.orders;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * Answers receipt requests on a Netty channel. It carries no annotation: Netty calls channelRead0
 * on the channel's event loop, and Hangcheck knows that from the type it extends.
 */
final class ReceiptHandler extends SimpleChannelInboundHandler<String> {
  private final String receiptsDirectory;

  ReceiptHandler(String receiptsDirectory) {
    this.receiptsDirectory = receiptsDirectory;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, String orderId) throws Exception {
    // Reads a file on the event loop: every channel of this loop waits for the disk.
    int format = ConfigLoader.load(receiptsDirectory + "/" + orderId + ".receipt");
    ctx.writeAndFlush(orderId + ":" + format);
  }
}
