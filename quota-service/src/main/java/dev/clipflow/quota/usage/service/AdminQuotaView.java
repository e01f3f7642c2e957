package dev.clipflow.quota.usage.service;

import dev.clipflow.quota.account.QuotaView;

import java.util.List;
import java.util.UUID;

/** A user's quota as an admin sees it: the limits (the PUT body) plus the whole usage. */
public record AdminQuotaView(UUID userId, long storageLimitBytes, long bandwidthLimitBytes, QuotaView.Storage storage,
        QuotaView.Bandwidth bandwidth, QuotaView.Deletions deletions, List<QuotaView.File> files) {

    static AdminQuotaView of(UUID userId, QuotaView view) {
        return new AdminQuotaView(userId, view.storage().limitBytes(), view.bandwidth().limitBytes(), view.storage(),
                view.bandwidth(), view.deletions(), view.files());
    }
}
