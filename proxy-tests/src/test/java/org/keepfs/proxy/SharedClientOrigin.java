package org.keepfs.proxy;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes one {@link ClientOrigin} for the whole run: its GiB of data is written once, and
 * JUnit closes it (server stopped, files deleted) when the run ends.
 */
final class SharedClientOrigin implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ClientOrigin.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(ClientOrigin.class, k -> {
          try {
            return new ClientOrigin();
          } catch (Exception e) {
            throw new ParameterResolutionException("cannot start the shared origin gateway: " + e.getMessage(), e);
          }
        }, ClientOrigin.class);
  }
}
