package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.gateway.api.MessageWaits;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code GET /api/v1/messages/{id}?wait=…} suspends the request instead of holding one of Tomcat's 32 request threads
 * ({@code server.tomcat.threads.max}) for the wait: with more legacy callers waiting than there are threads, the gateway
 * still answers everything else at once, and each waiting caller gets the final status when its message reaches it.
 */
class WaitingCallersHoldNoRequestThreadTest extends AbstractOperationsTest {
    private static final int WAITING_CALLERS = 40;

    @Autowired
    MessageWaits waits;

    @Test
    void moreCallersWaitingThanRequestThreadsLeaveTheGatewayAnswering() throws Exception {
        stopProcessing(); // the message stays RECEIVED until the inbox is read again
        String id = send(sample("WAIT-THREADS-1"));
        HttpClient client = GatewayTestEnvironment.client(HOSPITAL);
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITING_CALLERS; i++) {
            waiting.add(client.sendAsync(HttpRequest.newBuilder(uri("/api/v1/messages/" + id + "?wait=PT60S")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (waits.waiting() < WAITING_CALLERS && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(waits.waiting()).as("every caller's wait taken").isEqualTo(WAITING_CALLERS);

        HttpResponse<String> meanwhile = get("/api/v1/messages/" + id);

        assertThat(meanwhile.statusCode()).isEqualTo(200);
        assertThat(meanwhile.body()).contains("\"status\":\"RECEIVED\"");
        assertThat(waiting).as("answered while all %d still wait", WAITING_CALLERS).noneMatch(CompletableFuture::isDone);

        startProcessing();
        for (CompletableFuture<HttpResponse<String>> wait : waiting) {
            HttpResponse<String> answer = wait.get(60, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"status\":\"DELIVERED\"");
        }
        assertThat(waits.waiting()).isZero();
    }
}
