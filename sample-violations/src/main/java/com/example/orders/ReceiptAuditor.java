package com.example.orders;

import com.example.audit.AuditLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.file.Path;

/**
 * Records every receipt in the shop's audit trail, from the event loop, with no annotation:
 * AuditLog lives in another module, and Hangcheck follows the call into it by its summary.
 */
public class ReceiptAuditor extends SimpleChannelInboundHandler<String> {

  private final AuditLog audit = new AuditLog(Path.of("receipts.log"));

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, String receipt) throws Exception {
    audit.record("receipt " + receipt);
    ctx.fireChannelRead(receipt);
  }
}
