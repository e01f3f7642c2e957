package dev.clipflow.catalog.category;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A category videos can be filed under (Drama, Tutorial, ...). */
@Entity
@Table(name = "category")
public class Category {

    @Id
    public UUID id;

    public String name;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof Category that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return Category.class.hashCode();
    }
}
