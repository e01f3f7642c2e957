package dev.clipflow.system;

import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Accounts as a person gets one: register, read the activation mail, activate, log in. */
final class Users {

    static final String ADMIN_EMAIL = "admin@clipflow.local";
    static final String ADMIN_PASSWORD = "clipflow-admin-123";
    private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_\\-.~%]+)");

    private Users() {
    }

    record User(UUID id, String email, String password, String accessToken) {
    }

    /** Registers a new user, activates the account from the e-mail, and logs in. */
    static User signUp(String displayName) {
        String email = "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String password = "Correct-Horse-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType("application/json")
                .body(Map.of("email", email, "password", password, "displayName", displayName))
                .post(Stack.get().gateway() + "/api/auth/register")
                .then().statusCode(201);
        String token = tokenFromMail(email, "activ");
        given().contentType("application/json").body(Map.of("token", token))
                .post(Stack.get().gateway() + "/api/auth/activate")
                .then().statusCode(200);
        return login(email, password);
    }

    static User admin() {
        return login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    static User login(String email, String password) {
        JsonPath body = given().contentType("application/json").body(Map.of("email", email, "password", password))
                .post(Stack.get().gateway() + "/api/auth/login")
                .then().statusCode(200).extract().jsonPath();
        String access = body.getString("accessToken");
        String id = given().auth().oauth2(access).get(Stack.get().gateway() + "/api/auth/me")
                .then().statusCode(200).extract().jsonPath().getString("id");
        return new User(UUID.fromString(id), email, password, access);
    }

    /** The single-use token of the newest mail to {@code email} whose subject mentions {@code subjectPart}. */
    static String tokenFromMail(String email, String subjectPart) {
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            var response = given().get(Stack.get().mailApi() + "/api/user/" + email + "/messages/");
            if (response.statusCode() != 200 || !response.asString().trim().startsWith("[")) {
                return false; // no mailbox yet: GreenMail answers with an error object until the first mail lands
            }
            List<Map<String, Object>> messages = response.jsonPath().getList("$");
            for (int i = messages.size() - 1; i >= 0; i--) {
                Map<String, Object> message = messages.get(i);
                String subject = String.valueOf(message.get("subject")).toLowerCase();
                if (subject.contains(subjectPart)) {
                    Matcher matcher = TOKEN.matcher(String.valueOf(message.get("mimeMessage")).replace("=\r\n", "")
                            .replace("=3D", "="));
                    if (matcher.find()) {
                        found[0] = java.net.URLDecoder.decode(matcher.group(1), java.nio.charset.StandardCharsets.UTF_8);
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }
}
