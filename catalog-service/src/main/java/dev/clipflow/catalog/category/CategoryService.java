package dev.clipflow.catalog.category;

import dev.clipflow.catalog.video.VideoRepository;
import dev.clipflow.contracts.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The list of categories and the rule that a video's category is one of them. */
@ApplicationScoped
public class CategoryService {

    public record CategoryView(UUID id, String name) {
        static CategoryView of(Category category) {
            return new CategoryView(category.id, category.name);
        }
    }

    private final CategoryRepository categories;
    private final VideoRepository videos;

    public CategoryService(CategoryRepository categories, VideoRepository videos) {
        this.categories = categories;
        this.videos = videos;
    }

    public List<CategoryView> list() {
        return categories.all().stream().map(CategoryView::of).toList();
    }

    /** The stored spelling of a category given in any case; 400 when there is no such category. */
    public String canonical(String name) {
        return categories.byName(name).map(c -> c.name).orElseThrow(() -> ProblemException.badRequest(
                "video.unknown_category", "Unknown category '" + name + "'; see GET /api/categories."));
    }

    /** Like {@link #canonical} but empty instead of failing (for events carrying free text). */
    public Optional<String> known(String name) {
        return name == null || name.isBlank() ? Optional.empty() : categories.byName(name).map(c -> c.name);
    }

    @Transactional
    public CategoryView create(String name) {
        String clean = name.strip();
        if (categories.byName(clean).isPresent()) {
            throw ProblemException.conflict("category.exists", "Category '" + clean + "' already exists.");
        }
        Category category = new Category();
        category.id = UUID.randomUUID();
        category.name = clean;
        categories.persist(category);
        return CategoryView.of(category);
    }

    @Transactional
    public void delete(UUID id) {
        Category category = categories.findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Category " + id));
        if (videos.categoryInUse(category.name)) {
            throw ProblemException.conflict("category.in_use",
                    "Category '" + category.name + "' is used by videos; change them first.");
        }
        categories.delete(category);
    }
}
