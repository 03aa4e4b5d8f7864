//! Clustering matched pairs into entities without chaining.
//!
//! Plain transitive closure (connected components of the match graph) is
//! fragile: if A matches B and B matches C, A and C end up together even
//! when A and C clearly differ. With recruiting data that is the normal
//! case, not a corner case: a bare `张伟` record with no phone is weakly
//! similar to every other `张伟`, and one such record would glue all of them
//! into one person.
//!
//! So clusters grow greedily from the strongest evidence down, and every
//! union is checked against *cannot-link* constraints: pairs a hard "never"
//! rule separates (conflicting id numbers; different phones and different
//! birth years) or whose score is strongly negative. Two clusters are merged
//! only if no member of one cannot-link with any member of the other. The
//! strongest link therefore wins, and a weaker link that would connect two
//! clearly different people is refused and reported.
//!
//! Blocking means two records that clearly differ were often never compared
//! (two `张伟` with different phones and birth years share no block), so the
//! known cannot-link pairs are not enough. Before a union, every cross pair
//! of the two clusters is also checked with the caller's test, as long as
//! there are at most [`MAX_CROSS_CHECK`] of them; larger unions rely on the
//! known pairs only, which keeps a pathological giant cluster from turning
//! the step quadratic.
//!
//! Processing order is by descending score, ties by the pair's record
//! indices (which follow record ids), so the result does not depend on the
//! input order.

use rayon::prelude::*;

/// Most cross pairs checked on the fly before a union.
pub const MAX_CROSS_CHECK: usize = 4096;

/// The outcome of clustering `n` records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clusters {
    /// Cluster number per record; clusters are numbered by their smallest
    /// record index, from 0.
    pub cluster_of: Vec<usize>,
    /// Per input merge edge (same order as given): true when the union was
    /// refused because of a cannot-link between the two clusters.
    pub refused: Vec<bool>,
}

/// Union-find whose clusters can list their members: `next` links every
/// cluster's members into a ring, and a union splices two rings.
struct Sets {
    parent: Vec<u32>,
    next: Vec<u32>,
    size: Vec<u32>,
    /// Number of cannot-link endpoints inside each cluster (at its root).
    links: Vec<usize>,
}

impl Sets {
    fn find(&mut self, mut x: u32) -> u32 {
        let mut root = x;
        while self.parent[root as usize] != root {
            root = self.parent[root as usize];
        }
        while self.parent[x as usize] != root {
            let next = self.parent[x as usize];
            self.parent[x as usize] = root;
            x = next;
        }
        root
    }

    /// The members of the cluster containing `x`.
    fn members(&self, x: u32) -> Vec<u32> {
        let mut out = vec![x];
        let mut m = self.next[x as usize];
        while m != x {
            out.push(m);
            m = self.next[m as usize];
        }
        out
    }

    /// Joins two roots; the larger cluster's root stays the root.
    fn union(&mut self, ra: u32, rb: u32) {
        let (big, small) = if self.size[ra as usize] >= self.size[rb as usize] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
        self.links[big as usize] += self.links[small as usize];
        self.next.swap(big as usize, small as usize);
    }
}

/// Compressed adjacency of the cannot-link graph.
struct CannotLinks {
    offsets: Vec<usize>,
    targets: Vec<u32>,
}

impl CannotLinks {
    fn new(n: usize, pairs: &[(u32, u32)]) -> Self {
        let mut degree = vec![0usize; n + 1];
        for (a, b) in pairs {
            degree[*a as usize + 1] += 1;
            degree[*b as usize + 1] += 1;
        }
        for i in 1..=n {
            degree[i] += degree[i - 1];
        }
        let offsets = degree.clone();
        let mut fill = degree;
        let mut targets = vec![0u32; pairs.len() * 2];
        for (a, b) in pairs {
            targets[fill[*a as usize]] = *b;
            fill[*a as usize] += 1;
            targets[fill[*b as usize]] = *a;
            fill[*b as usize] += 1;
        }
        CannotLinks { offsets, targets }
    }

    fn of(&self, x: u32) -> &[u32] {
        &self.targets[self.offsets[x as usize]..self.offsets[x as usize + 1]]
    }
}

/// Clusters `n` records from `merges` (record pairs with their score) under
/// the known `cannot` pairs and the on-the-fly test `cannot_link(a, b,
/// weak)`.
///
/// `weak[i]` marks merge edges backed by circumstance rather than an
/// identifier (the same application, see
/// [`super::Comparison::identifier_agrees`]). They are applied after every
/// other edge, and the test is told (`weak = true`) so it can be stricter
/// for the cross pairs of such a union.
pub fn cluster(
    n: usize,
    merges: &[(u32, u32, f64)],
    weak: &[bool],
    cannot: &[(u32, u32)],
    mut cannot_link: impl FnMut(u32, u32, bool) -> bool,
) -> Clusters {
    let links = CannotLinks::new(n, cannot);
    let mut sets = Sets {
        parent: (0..n as u32).collect(),
        next: (0..n as u32).collect(),
        size: vec![1; n],
        links: (0..n as u32).map(|i| links.of(i).len()).collect(),
    };
    let mut order: Vec<usize> = (0..merges.len()).collect();
    // The edge index last makes the order total, so an unstable parallel
    // sort gives the one order a stable sort would.
    order.par_sort_unstable_by(|&x, &y| {
        let (a, b) = (&merges[x], &merges[y]);
        let (wa, wb) = (weak.get(x) == Some(&true), weak.get(y) == Some(&true));
        wa.cmp(&wb)
            .then(b.2.total_cmp(&a.2))
            .then((a.0, a.1).cmp(&(b.0, b.1)))
            .then(x.cmp(&y))
    });
    let mut refused = vec![false; merges.len()];
    for i in order {
        let (a, b, _) = merges[i];
        let is_weak = weak.get(i) == Some(&true);
        let (ra, rb) = (sets.find(a), sets.find(b));
        if ra == rb {
            continue;
        }
        // Known cannot-links: scan the cluster with fewer endpoints.
        let (scan, other) = if sets.links[ra as usize] <= sets.links[rb as usize] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let mut blocked = false;
        if sets.links[scan as usize] > 0 {
            'scan: for m in sets.members(scan) {
                for t in links.of(m) {
                    if sets.find(*t) == other {
                        blocked = true;
                        break 'scan;
                    }
                }
            }
        }
        // Every cross pair, when there are few enough.
        let (la, lb) = (
            sets.size[ra as usize] as usize,
            sets.size[rb as usize] as usize,
        );
        if !blocked && la * lb <= MAX_CROSS_CHECK {
            let (ma, mb) = (sets.members(ra), sets.members(rb));
            blocked = ma.iter().any(|x| {
                mb.iter()
                    .any(|y| cannot_link((*x).min(*y), (*x).max(*y), is_weak))
            });
        }
        if blocked {
            refused[i] = true;
            continue;
        }
        sets.union(ra, rb);
    }

    let mut cluster_of = vec![usize::MAX; n];
    let mut next = 0;
    for x in 0..n as u32 {
        let r = sets.find(x) as usize;
        if cluster_of[r] == usize::MAX {
            cluster_of[r] = next;
            next += 1;
        }
        cluster_of[x as usize] = cluster_of[r];
    }
    Clusters {
        cluster_of,
        refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strongest_link_wins_and_chaining_is_refused() {
        // 0 and 2 cannot link; 1~2 is stronger than 0~1.
        let c = cluster(
            3,
            &[(0, 1, 9.0), (1, 2, 15.0)],
            &[],
            &[(0, 2)],
            |_, _, _| false,
        );
        assert_eq!(c.cluster_of, vec![0, 1, 1]);
        assert_eq!(c.refused, vec![true, false]);
    }

    #[test]
    fn without_constraints_it_is_transitive_closure() {
        let c = cluster(
            5,
            &[(0, 1, 1.0), (1, 2, 1.0), (3, 4, 2.0)],
            &[],
            &[],
            |_, _, _| false,
        );
        assert_eq!(c.cluster_of, vec![0, 0, 0, 1, 1]);
        assert_eq!(c.refused, vec![false, false, false]);
    }

    #[test]
    fn ties_break_by_record_index() {
        // Equal scores: (0,1) first, so 2 is refused against {0,1}.
        let c = cluster(3, &[(1, 2, 5.0), (0, 1, 5.0)], &[], &[(0, 2)], |_, _, _| {
            false
        });
        assert_eq!(c.cluster_of, vec![0, 0, 1]);
        assert_eq!(c.refused, vec![true, false]);
    }

    #[test]
    fn uncompared_cross_pairs_are_checked() {
        // 0~1 and 1~2 match; 0 and 2 were never compared but cannot link.
        let c = cluster(3, &[(0, 1, 9.0), (1, 2, 15.0)], &[], &[], |a, b, _| {
            (a, b) == (0, 2)
        });
        assert_eq!(c.cluster_of, vec![0, 1, 1]);
        assert_eq!(c.refused, vec![true, false]);
    }

    #[test]
    fn weak_links_come_last_under_the_stricter_test() {
        // 1~2 is weak but scores highest; 0~1 is applied first. The weak
        // union {0,1}+{2} is refused because 0 and 2 conflict under the
        // stricter test, which the strong union never consults.
        let c = cluster(
            3,
            &[(1, 2, 20.0), (0, 1, 9.0)],
            &[true, false],
            &[],
            |a, b, weak| weak && (a, b) == (0, 2),
        );
        assert_eq!(c.cluster_of, vec![0, 0, 1]);
        assert_eq!(c.refused, vec![true, false]);
    }

    #[test]
    fn clusters_numbered_by_smallest_member() {
        let c = cluster(4, &[(2, 3, 1.0)], &[], &[], |_, _, _| false);
        assert_eq!(c.cluster_of, vec![0, 1, 2, 2]);
    }
}
