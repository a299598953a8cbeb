package dev.switchboard.channels;

import io.vertx.core.json.JsonObject;

/**
 * An error answered to an HTTP caller as {@code {"error":{"code","message","field"?}}} with its status. Thrown
 * (or failed with) by handlers; the router's failure handler renders it. Messages are for people and never
 * contain secrets or stack traces.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final String field;
  private final Integer retryAfterSeconds;

  private ApiError(int status, String code, String message, String field, Integer retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 400: the request is malformed or a field is invalid. */
  public static ApiError invalid(String code, String message, String field) {
    return new ApiError(400, code, message, field, null);
  }

  /** 401: no or wrong credentials. */
  public static ApiError unauthenticated(String message) {
    return new ApiError(401, "unauthenticated", message, null, null);
  }

  /** 403: the caller may not do this. */
  public static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message, null, null);
  }

  /** 429: the caller is over its quota; {@code Retry-After} says when to come back. */
  public static ApiError tooManyRequests(String message, int retryAfterSeconds) {
    return new ApiError(429, "rate_limited", message, null, retryAfterSeconds);
  }

  /** 404: nothing there. */
  public static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message, null, null);
  }

  /** 413: the body is larger than {@code limitBytes}. */
  public static ApiError tooLarge(long limitBytes) {
    return new ApiError(413, "body_too_large", "request body is larger than " + limitBytes + " bytes", null, null);
  }

  /** 415: the body is not of the accepted media type. */
  public static ApiError unsupportedMediaType(String expected) {
    return new ApiError(415, "unsupported_media_type", "Content-Type must be " + expected, null, null);
  }

  /** 503 with {@code Retry-After}: the gateway cannot take this now. */
  public static ApiError unavailable(String message, int retryAfterSeconds) {
    return new ApiError(503, "unavailable", message, null, retryAfterSeconds);
  }

  /** Any status with a code; for the router's own 404/405/413 answers. */
  public static ApiError of(int status, String code, String message) {
    return new ApiError(status, code, message, null, null);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The request field at fault, or {@code null}. */
  public String field() {
    return field;
  }

  /** Seconds for {@code Retry-After}, or {@code null}. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The JSON body. */
  public JsonObject toJson() {
    JsonObject error = new JsonObject().put("code", code).put("message", getMessage());
    if (field != null) {
      error.put("field", field);
    }
    return new JsonObject().put("error", error);
  }
}
