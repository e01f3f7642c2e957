package dev.clipflow.auth.support;

import dev.clipflow.testinfra.resources.MailResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/** Builds the data each test needs through the public API (and reads the e-mail GreenMail received). */
public final class Accounts {

    public static final String PASSWORD = "Correct-Horse-42";
    public static final String ADMIN_EMAIL = "admin@clipflow.test";
    public static final String ADMIN_PASSWORD = "Bootstrap-Admin-9";
    private static final Pattern TOKEN = Pattern.compile("\\?token=([A-Za-z0-9_%-]+)");

    private Accounts() {
    }

    public static String newEmail() {
        return "u-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    }

    /** A request from a random client address (the service trusts X-Forwarded-For from localhost). */
    public static RequestSpecification client() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return given().header("X-Forwarded-For", "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(1, 255));
    }

    public static Response register(String email, String password) {
        return client().contentType("application/json").body(Map.of("email", email, "password", password))
                .post("/api/auth/register");
    }

    /** Registers and activates through the e-mailed link; returns the user id. */
    public static UUID registerActive(String email) {
        String id = register(email, PASSWORD).then().statusCode(201).extract().path("id");
        String token = mailToken(email, "Activate");
        given().contentType("application/json").body(Map.of("token", token)).post("/api/auth/activate")
                .then().statusCode(200);
        return UUID.fromString(id);
    }

    /** Registers and activates a new account; returns its e-mail address. */
    public static String registerActiveEmail() {
        String email = newEmail();
        registerActive(email);
        return email;
    }

    /** The token of the newest e-mail to {@code to} whose subject contains {@code subject}. */
    public static String mailToken(String to, String subject) {
        MimeMessage message = awaitMail(to, subject);
        Matcher m = TOKEN.matcher(body(message));
        if (!m.find()) {
            throw new AssertionError("No token link in: " + body(message));
        }
        return java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static MimeMessage awaitMail(String to, String subject) {
        return Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> mails(to, subject).stream().reduce((a, b) -> b).orElse(null), m -> m != null);
    }

    public static List<MimeMessage> mails(String to, String subject) {
        return MailResource.server().messages().stream().filter(m -> {
            try {
                return m.getRecipients(Message.RecipientType.TO)[0].toString().equalsIgnoreCase(to)
                        && m.getSubject().contains(subject);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    public static String body(MimeMessage message) {
        try {
            Object content = message.getContent();
            if (content instanceof jakarta.mail.Multipart multipart) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < multipart.getCount(); i++) {
                    text.append(multipart.getBodyPart(i).getContent()).append('\n');
                }
                return text.toString();
            }
            return String.valueOf(content);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Response login(String email, String password) {
        return client().contentType("application/json").body(Map.of("email", email, "password", password))
                .post("/api/auth/login");
    }

    /** Access and refresh token of a successful sign-in. */
    public static JsonPath tokens(String email, String password) {
        return login(email, password).then().statusCode(200).extract().jsonPath();
    }

    public static String accessToken(String email) {
        return tokens(email, PASSWORD).getString("accessToken");
    }

    /** An access token of the bootstrap admin. */
    public static String adminToken() {
        return tokens(ADMIN_EMAIL, ADMIN_PASSWORD).getString("accessToken");
    }
}
