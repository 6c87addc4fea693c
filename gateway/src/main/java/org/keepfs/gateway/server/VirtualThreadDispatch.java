package org.keepfs.gateway.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Runs a blocking handler on a virtual thread of its own, so the handlers in front of it can stay
 * non-blocking (Jetty then runs them on its I/O threads without a hand-off). Sits inside a mount's
 * ContextHandler: once the prefix matched, the request is this handler's, so it always claims it.
 */
final class VirtualThreadDispatch extends Handler.Wrapper {
  VirtualThreadDispatch(Handler blocking) {
    super(blocking);
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Handler next = getHandler();
    if (next.getInvocationType() == InvocationType.NON_BLOCKING) {
      return super.handle(request, response, callback);
    }
    Thread.startVirtualThread(() -> {
      try {
        if (!next.handle(request, response, callback)) {
          Response.writeError(request, response, callback, 404);
        }
      } catch (Throwable x) {
        Response.writeError(request, response, callback, x);
      }
    });
    return true;
  }
}
