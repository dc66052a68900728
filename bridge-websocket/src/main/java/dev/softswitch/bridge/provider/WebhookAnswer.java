package dev.softswitch.bridge.provider;

/**
 * What we answer a webhook with.
 *
 * @param status the HTTP status
 * @param contentType the body's media type
 * @param body the body
 */
public record WebhookAnswer(int status, String contentType, String body) {

    public static WebhookAnswer xml(String body) {
        return new WebhookAnswer(200, "text/xml; charset=utf-8", body);
    }

    public static WebhookAnswer json(String body) {
        return new WebhookAnswer(200, "application/json", body);
    }

    /** 204: heard, nothing to say. */
    public static WebhookAnswer noContent() {
        return new WebhookAnswer(204, "text/plain; charset=utf-8", "");
    }
}
