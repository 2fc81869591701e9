import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local as fristflow runs it. Takes DynamoDB Local's own arguments and differs from its
 * ServerRunner in three ways:
 * - it listens on 127.0.0.1 only: DynamoDB Local has no host option and binds every interface
 *   (its Jetty connector is built without a host), so the host is set on that connector before
 *   it starts. Nobody on the network can read or change the data, which has no authentication.
 * - it dies with its parent whatever kills the parent (kill -9 included): stdin is a pipe from
 *   the parent, and when it closes (the parent ended, or it stops us) the JVM exits.
 * - it sends no telemetry (ServerRunner.main would configure it; this never does).
 */
public final class LoopbackDynamoDbLocal {
  private static final String LOOPBACK = "127.0.0.1";
  private static final long HALT_AFTER_MS = 3_000;

  private LoopbackDynamoDbLocal() {}

  public static void main(String[] args) throws Exception {
    exitWhenStdinCloses();
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    for (Connector connector : jetty.getConnectors()) {
      if (!(connector instanceof ServerConnector)) {
        throw new IllegalStateException("unexpected Jetty connector " + connector.getClass().getName());
      }
      ((ServerConnector) connector).setHost(LOOPBACK);
    }
    try {
      proxy.start();
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.err.println("fristflow: DynamoDB Local listening on " + LOOPBACK);
  }

  private static void exitWhenStdinCloses() {
    Thread watchdog = new Thread(() -> {
      InputStream in = System.in;
      byte[] buffer = new byte[64];
      try {
        while (in.read(buffer) >= 0) {
          // The parent writes nothing; anything it does write is ignored.
        }
      } catch (IOException e) {
        // A broken pipe is the parent gone, like end of file.
      }
      Thread halt = new Thread(() -> {
        try {
          Thread.sleep(HALT_AFTER_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(2);
      }, "fristflow-halt");
      halt.setDaemon(true);
      halt.start();
      System.exit(0);
    }, "fristflow-parent-watch");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
