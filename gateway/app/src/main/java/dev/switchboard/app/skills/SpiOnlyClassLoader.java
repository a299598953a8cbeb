package dev.switchboard.app.skills;

import java.util.List;

/**
 * The parent of every plugin JAR's class loader. It shows a plugin the JDK and the plugin contract
 * ({@code dev.switchboard.spi} and the vertx-core types the contract uses, such as {@code JsonObject}) and
 * nothing else of the gateway: no other class, and no resource, so a plugin's {@code ServiceLoader} finds only
 * the plugin's own skills and a plugin cannot reach the gateway's internals or libraries.
 */
final class SpiOnlyClassLoader extends ClassLoader {
  private static final List<String> SHARED_PACKAGES = List.of("dev.switchboard.spi.", "io.vertx.core.");

  private final ClassLoader gateway;

  SpiOnlyClassLoader(ClassLoader gateway) {
    super("switchboard-spi", ClassLoader.getPlatformClassLoader());
    this.gateway = gateway;
  }

  /** Called after the JDK did not have the class: shared packages come from the gateway, the rest is hidden. */
  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    for (String prefix : SHARED_PACKAGES) {
      if (name.startsWith(prefix)) {
        return gateway.loadClass(name);
      }
    }
    throw new ClassNotFoundException(name);
  }
}
