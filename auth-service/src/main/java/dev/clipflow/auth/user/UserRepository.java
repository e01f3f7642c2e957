package dev.clipflow.auth.user;

import dev.clipflow.contracts.api.Page;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<User, UUID> {

    public Optional<User> findByEmail(String normalizedEmail) {
        return find("email", normalizedEmail).firstResultOptional();
    }

    /** Users whose e-mail or display name contains {@code q} (case-insensitive), newest first. */
    public Page<User> search(String q, Page.PageRequest request) {
        Sort sort = Sort.descending("createdAt").and("id");
        var query = q == null || q.isBlank()
                ? findAll(sort)
                : find("lower(email) like :q escape '\\' or lower(displayName) like :q escape '\\'", sort,
                        Parameters.with("q", "%" + escapeLike(q.trim().toLowerCase(Locale.ROOT)) + "%"));
        List<User> items = query.page(request.page(), request.size()).list();
        return new Page<>(items, request.page(), request.size(), query.count());
    }

    /** Locks the rows of every admin who can sign in and returns their ids (serialises last-admin checks). */
    @SuppressWarnings("unchecked")
    public List<UUID> lockActiveAdmins() {
        return getEntityManager().createNativeQuery(
                "select id from app_user where is_admin and activated and enabled order by id for update")
                .getResultList();
    }

    /** The ids of every non-admin user. */
    public List<UUID> nonAdminIds() {
        return getEntityManager().createQuery("select u.id from User u where u.admin = false", UUID.class)
                .getResultList();
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
