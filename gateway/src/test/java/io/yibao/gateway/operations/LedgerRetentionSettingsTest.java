package io.yibao.gateway.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.yibao.gateway.config.GatewayProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code yibao.retention.*} as Spring Boot binds it, and the settings the gateway refuses to start with. */
class LedgerRetentionSettingsTest {

    @Test
    void deliveredContentIsKeptNinetyDaysUnlessConfiguredOtherwiseOrForEver() {
        assertThat(bind(Map.of()).isEnabled()).isTrue();
        assertThat(bind(Map.of()).getDeliveredContentAfter()).isEqualTo(Duration.ofDays(90));
        assertThat(bind(Map.of("yibao.retention.delivered-content-after", "P30D")).getDeliveredContentAfter())
                .isEqualTo(Duration.ofDays(30));
        assertThat(bind(Map.of("yibao.retention.enabled", "false")).isEnabled()).isFalse();
    }

    @Test
    void aRetentionThatIsNotPositiveStopsTheStartNamingTheProperty() {
        GatewayProperties properties = new GatewayProperties();
        properties.getRetention().setDeliveredContentAfter(Duration.ZERO);
        assertThatThrownBy(() -> new LedgerRetention(null, properties, new SimpleMeterRegistry(), Clock.systemUTC()))
                .hasMessageContaining("yibao.retention.delivered-content-after must be positive");
    }

    private static GatewayProperties.Retention bind(Map<String, String> properties) {
        GatewayProperties bound = new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("yibao", Bindable.of(GatewayProperties.class));
        return bound.getRetention();
    }
}
