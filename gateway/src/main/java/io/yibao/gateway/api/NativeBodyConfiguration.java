package io.yibao.gateway.api;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API takes native payloads and files, never HTML forms, so no body is ever read as form parameters.
 * Tomcat reads the body of an {@code application/x-www-form-urlencoded} POST (curl's default content type for
 * {@code --data-binary}) into request parameters the moment anything asks for a parameter, and leaves the stream
 * empty: a batch upload with {@code ?name=} arrived with 0 bytes. Its connector parses no method's body here
 * ({@code parseBodyMethods} empty); Spring's {@code FormContentFilter}, which does the same for PUT (quarantine
 * corrections), is off ({@code spring.mvc.formcontent.filter.enabled: false}).
 */
@Configuration(proxyBeanMethods = false)
class NativeBodyConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> noFormBodyParsing() {
        return factory -> factory.addConnectorCustomizers(connector -> connector.setParseBodyMethods(""));
    }
}
