package dev.softswitch.bridge.provider;

/** A provider REST API's answer: its status and body. */
public record RestResponse(int status, String body) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
