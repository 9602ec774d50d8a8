package io.raftkv.api.kv;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Maps {@link KvServlet} at {@code /kv/*} unless {@code raftkv.http.fast.path=false}. Registered here
 * rather than by annotation so that "off" means no servlet at all (every request served by JAX-RS, as
 * before), and so that it is mapped only when the JAX-RS servlet it forwards to was found: the
 * container's initializers (Jersey's on Payara, RESTEasy's on WildFly) have registered it at "/*" by
 * the time listeners run.
 */
@WebListener
public class KvServletRegistrar implements ServletContextListener {
  private static final Logger LOG = Logger.getLogger(KvServletRegistrar.class.getName());

  static final String ENABLED = "raftkv.http.fast.path";

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    boolean enabled = ConfigProvider.getConfig().getOptionalValue(ENABLED, Boolean.class).orElse(true);
    if (!enabled) {
      LOG.info("/kv fast path off (" + ENABLED + "=false): JAX-RS serves every request");
      return;
    }
    String jaxRs = rootServletName(context);
    if (jaxRs == null) {
      LOG.warning("/kv fast path off: no servlet is mapped at /* to forward the other /kv requests to");
      return;
    }
    ServletRegistration.Dynamic servlet = context.addServlet("raftkv-kv", KvServlet.class);
    servlet.setAsyncSupported(true);
    servlet.setLoadOnStartup(1);
    servlet.setInitParameter(KvServlet.JAX_RS_SERVLET, jaxRs);
    servlet.addMapping("/kv/*");
    LOG.info("/kv fast path on; other /kv requests go to " + jaxRs);
  }

  /** The servlet mapped at "/*": the JAX-RS application (ApplicationPath "/"). */
  static String rootServletName(ServletContext context) {
    for (ServletRegistration registration : context.getServletRegistrations().values()) {
      if (registration.getMappings().contains("/*")) {
        return registration.getName();
      }
    }
    return null;
  }
}
