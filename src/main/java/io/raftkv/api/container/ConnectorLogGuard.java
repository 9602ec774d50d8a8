package io.raftkv.api.container;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.logging.Logger;

/**
 * Puts {@link MalformedTargetLogFilter} on the connector's logger while the store is deployed, and
 * puts back whatever filter was there before when it is undeployed (the logger outlives the web
 * application; a filter left on it would pin the application's class loader).
 */
@WebListener
public class ConnectorLogGuard implements ServletContextListener {

  /** Held strongly: java.util.logging keeps loggers only weakly, and a new instance has no filter. */
  private static final Logger CONNECTOR = Logger.getLogger(MalformedTargetLogFilter.CONNECTOR_LOGGER);

  @Override
  public void contextInitialized(ServletContextEvent event) {
    if (!(CONNECTOR.getFilter() instanceof MalformedTargetLogFilter)) {
      CONNECTOR.setFilter(new MalformedTargetLogFilter(CONNECTOR.getFilter(), System::nanoTime));
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (CONNECTOR.getFilter() instanceof MalformedTargetLogFilter installed) {
      CONNECTOR.setFilter(installed.previous());
    }
  }
}
