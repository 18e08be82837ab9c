package io.yibao.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.gateway.config.GatewayProperties;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code yibao.pipeline.inbox-consumers} sets the inbox route's consumers; four unless configured. */
class InboxConsumersSettingTest {
    @Test
    void theInboxRouteHasTheConfiguredConsumers() throws Exception {
        assertThat(inboxEndpoint(Map.of())).contains("concurrentConsumers=4");
        assertThat(inboxEndpoint(Map.of("yibao.pipeline.inbox-consumers", "2"))).contains("concurrentConsumers=2");
    }

    private static String inboxEndpoint(Map<String, String> configuration) throws Exception {
        GatewayProperties properties = new Binder(new MapConfigurationPropertySource(configuration))
                .bindOrCreate("yibao", GatewayProperties.class);
        PipelineRoutes routes = new PipelineRoutes(properties);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            routes.setCamelContext(camel);
            routes.configure();
            RouteDefinition inbox = routes.getRouteCollection().getRoutes().stream()
                    .filter(route -> "pipeline-process".equals(route.getRouteId())).findFirst().orElseThrow();
            return inbox.getInput().getEndpointUri();
        }
    }
}
