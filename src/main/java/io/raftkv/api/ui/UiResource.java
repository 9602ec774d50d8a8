package io.raftkv.api.ui;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code /ui}: the dashboard's static files (src/main/webapp/ui). The API owns every path of the context
 * ({@code @ApplicationPath("/")} maps Jersey to {@code /*}), so the container's default servlet never sees
 * {@code /ui/...}: this resource hands out exactly the files listed here, nothing else of the WAR.
 */
@ApplicationScoped
@Path("ui")
public class UiResource {

  /** The dashboard's files and their media types; any other name is a 404. */
  static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=UTF-8",
      "dashboard.js", "text/javascript; charset=UTF-8",
      "dashboard.css", "text/css; charset=UTF-8");

  @Context
  private ServletContext servletContext;

  /**
   * {@code /ui/} is the page; {@code /ui} redirects there so that the page's relative links resolve
   * under it. Jersey matches both to this method (it ignores a trailing slash), so the request's own
   * path decides: redirecting {@code /ui/} too would send the browser round in circles.
   */
  @GET
  public Response root(@Context UriInfo uri) {
    if (uri.getRequestUri().getPath().endsWith("/")) {
      return file("");
    }
    return Response.seeOther(uri.getBaseUriBuilder().path("ui/").build()).build();
  }

  @GET
  @Path("{file: .*}")
  public Response file(@PathParam("file") String file) {
    String name = file.isEmpty() ? "index.html" : file;
    String type = FILES.get(name);
    InputStream body = type == null ? null : servletContext.getResourceAsStream("/ui/" + name);
    if (body == null) {
      return Response.status(Response.Status.NOT_FOUND).type("application/json")
          .entity("{\"error\":\"not found\",\"detail\":\"no such dashboard file\"}").build();
    }
    return Response.ok(body, type).header("Cache-Control", "no-cache").build();
  }
}
