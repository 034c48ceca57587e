//! The table's shape, defined once. The DynamoDB adapter, the local stack's provisioning
//! and the test that reads `template.yaml` all use these names.

/// A key attribute; every key attribute of the table is a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub partition: &'static str,
    pub sort: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Index {
    pub name: &'static str,
    pub key: Key,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSchema {
    pub key: Key,
    /// Global secondary indexes, all projecting every attribute.
    pub indexes: &'static [Index],
    /// Epoch seconds after which DynamoDB deletes the item.
    pub ttl_attribute: &'static str,
    pub stream_view_type: &'static str,
}

/// Reports by status, newest first: partition `gsi1pk` = `STATUS#<status>`, sort
/// `gsi1sk` = the report id (a ULID, so it sorts by filing time).
pub const BY_STATUS: Index = Index {
    name: "by_status",
    key: Key {
        partition: "gsi1pk",
        sort: "gsi1sk",
    },
};

/// The scheduler's work, by due time: partition `gsi2pk` = `ACTIVE` (sort `gsi2sk` = the
/// alert's expiry) on active reports, `REVIEW#WAITING` and `REVIEW#REMINDED` (sort = the
/// filing time) on reports waiting for review, and `RETAIN` (sort = when its next
/// retention step is due) on retention markers. Sparse: no other item has `gsi2pk`.
pub const BY_EXPIRY: Index = Index {
    name: "by_expiry",
    key: Key {
        partition: "gsi2pk",
        sort: "gsi2sk",
    },
};

/// Active alerts whose circle still grows: `gsi3pk` = `WIDENING`, sort `gsi3sk` = the
/// time of the next step. Sparse as well.
pub const BY_WIDENING: Index = Index {
    name: "by_widening",
    key: Key {
        partition: "gsi3pk",
        sort: "gsi3sk",
    },
};

pub const TABLE: TableSchema = TableSchema {
    key: Key {
        partition: "pk",
        sort: "sk",
    },
    indexes: &[BY_STATUS, BY_EXPIRY, BY_WIDENING],
    ttl_attribute: "purge_at",
    stream_view_type: "NEW_AND_OLD_IMAGES",
};

impl TableSchema {
    /// Every key attribute of the table and its indexes, once each, sorted.
    pub fn key_attributes(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = std::iter::once(self.key)
            .chain(self.indexes.iter().map(|i| i.key))
            .flat_map(|k| [k.partition, k.sort])
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}
