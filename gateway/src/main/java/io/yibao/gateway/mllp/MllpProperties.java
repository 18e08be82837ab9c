package io.yibao.gateway.mllp;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The MLLP-over-TLS listener for HL7 v2 ({@code yibao.mllp.*}). */
@Validated
@ConfigurationProperties("yibao.mllp")
public class MllpProperties {

    /** Start the listener. Off, the gateway takes HL7 v2 over HTTPS only. */
    private boolean enabled = true;

    /** Address to bind; 0.0.0.0 is every interface. */
    @NotBlank
    private String host = "0.0.0.0";

    /** TCP port (2575 is the port IANA registers for HL7 over MLLP). */
    @Min(1)
    @Max(65535)
    private int port = 2575;

    /** The adapter every message received here goes to; the caller must be enrolled for it. */
    @NotBlank
    private String adapter = "hospital-hl7v2";

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getAdapter() {
        return adapter;
    }

    public void setAdapter(String adapter) {
        this.adapter = adapter;
    }
}
