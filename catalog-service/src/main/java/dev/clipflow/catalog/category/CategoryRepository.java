package dev.clipflow.catalog.category;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class CategoryRepository implements PanacheRepositoryBase<Category, UUID> {

    public Optional<Category> byName(String name) {
        return find("lower(name) = lower(?1)", name.strip()).firstResultOptional();
    }

    public List<Category> all() {
        return listAll(Sort.by("name"));
    }
}
