//! Postal addresses and city cells. [`parse_address`] pulls out a 6-digit
//! Chinese postcode (`邮编：100020` or a trailing 6-digit group) and
//! recognises the province-level division and the prefecture city from
//! `tables/places.toml` (all 34 province-level divisions and the largest
//! prefecture cities, with romanized names). [`normalize_city`] maps a plain
//! city cell (`深圳市`, `Shenzhen`, `廣州`) to the short Chinese name and
//! [`lookup_city`] says whether the table knows the city at all. Places
//! missing from the table are left as `None` in an [`Address`]; the text is kept.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::text::nfkc_clean;

/// An address cell split into its recognisable parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// The cleaned address without the postcode part.
    pub text: String,
    /// The 6-digit postcode, if one was written.
    pub postcode: Option<String>,
    /// Short name of the province-level division (`广东`, `北京`).
    pub province: Option<String>,
    /// Short name of the prefecture city (`深圳`; `北京` for the municipalities).
    pub city: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Province {
    name: String,
    full: String,
    #[serde(default)]
    latin: Vec<String>,
    #[serde(default)]
    city_level: bool,
}

#[derive(Debug, Deserialize)]
struct City {
    name: String,
    province: String,
    #[serde(default)]
    latin: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Places {
    province: Vec<Province>,
    city: Vec<City>,
}

static PLACES: LazyLock<Places> = LazyLock::new(|| {
    toml::from_str(include_str!("tables/places.toml")).expect("tables/places.toml is valid")
});

static POSTCODE_LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[(\[]?\s*(?:邮编|邮政编码|postcode|post code|zip(?: code)?)\s*[:]?\s*(\d{6})\s*[)\]]?")
        .expect("valid regex")
});
static POSTCODE_TRAILING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\d])(\d{6})\s*$").expect("valid regex"));

/// Whether an ASCII word or phrase occurs in `lower` on word boundaries.
fn has_word(lower: &str, word: &str) -> bool {
    lower.match_indices(word).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// Earliest province in the text: its official name anywhere, its short name
/// at the start, or a Latin name as a word. Returns the province and the byte
/// offset just past the match (0 for Latin matches).
fn find_province(s: &str, lower: &str) -> Option<(&'static Province, usize)> {
    let mut best: Option<(&Province, usize, usize)> = None;
    for p in &PLACES.province {
        let hit = s
            .find(&p.full)
            .map(|i| (i, i + p.full.len()))
            .or_else(|| s.starts_with(&p.name).then_some((0, p.name.len())));
        if let Some((start, end)) = hit
            && best.is_none_or(|b| start < b.1)
        {
            best = Some((p, start, end));
        }
    }
    if let Some((p, _, end)) = best {
        return Some((p, end));
    }
    PLACES
        .province
        .iter()
        .find(|p| p.latin.iter().any(|w| has_word(lower, w)))
        .map(|p| (p, 0))
}

/// The city: right after the province (short or official name), else its
/// official `…市` name anywhere, else its short name at the start, else a
/// Latin name. Cities of another province than `province` are skipped.
fn find_city(s: &str, lower: &str, province: Option<&str>, after: usize) -> Option<&'static City> {
    let fits = |c: &&City| province.is_none_or(|p| c.province == p);
    let rest = &s[after..];
    let cities = || PLACES.city.iter().filter(fits);
    cities()
        .find(|c| rest.starts_with(&c.name))
        .or_else(|| {
            cities()
                .filter_map(|c| s.find(&format!("{}市", c.name)).map(|i| (i, c)))
                .min_by_key(|(i, _)| *i)
                .map(|(_, c)| c)
        })
        .or_else(|| cities().find(|c| s.starts_with(&c.name)))
        .or_else(|| cities().find(|c| c.latin.iter().any(|w| has_word(lower, w))))
}

/// Splits an address into postcode, province and city.
pub fn parse_address(raw: &str) -> Address {
    let cleaned = nfkc_clean(raw);
    let (text, postcode) = if let Some(c) = POSTCODE_LABELLED.captures(&cleaned) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        let rest = format!("{}{}", &cleaned[..whole.start], &cleaned[whole.end..]);
        (rest, Some(c[1].to_string()))
    } else if let Some(c) = POSTCODE_TRAILING.captures(&cleaned) {
        let code = c.get(1).map_or(0..0, |m| m.range());
        (cleaned[..code.start].to_string(), Some(c[1].to_string()))
    } else {
        (cleaned.clone(), None)
    };
    let text = text
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '，' | '、'))
        .to_string();

    let simplified = fast2s::convert(&text);
    let lower = simplified.to_lowercase();
    let province = find_province(&simplified, &lower);
    let (province_name, after) = match province {
        Some((p, end)) => (Some(p.name.as_str()), end),
        None => (None, 0),
    };
    let city = match province {
        Some((p, _)) if p.city_level => Some(p.name.clone()),
        _ => find_city(&simplified, &lower, province_name, after).map(|c| c.name.clone()),
    };
    let province = province_name.map(str::to_string).or_else(|| {
        let name = city.as_deref()?;
        PLACES
            .city
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.province.clone())
    });
    Address {
        text,
        postcode,
        province,
        city,
    }
}

/// Looks a city cell up in the place table: the short Chinese city name
/// (`深圳市` → `深圳`, `Shenzhen` → `深圳`, `廣州` → `广州`, `北京市` → `北京`),
/// or `None` for places the table does not list.
pub fn lookup_city(raw: &str) -> Option<String> {
    let s = fast2s::convert(&nfkc_clean(raw));
    if s.is_empty() {
        return None;
    }
    let han = s.trim_end_matches('市');
    let squash = |name: &str| -> String {
        name.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\''))
            .collect()
    };
    let lower = s.to_lowercase();
    let latin = squash(lower.strip_suffix(" city").unwrap_or(&lower));
    let latin_eq = |names: &[String]| names.iter().any(|n| squash(n) == latin);
    if let Some(c) = PLACES
        .city
        .iter()
        .find(|c| c.name == han || latin_eq(&c.latin))
    {
        return Some(c.name.clone());
    }
    if let Some(p) = PLACES
        .province
        .iter()
        .filter(|p| p.city_level)
        .find(|p| p.name == han || p.full == s || latin_eq(&p.latin))
    {
        return Some(p.name.clone());
    }
    parse_address(&s).city
}

/// Normalizes a plain city cell: the table's short Chinese name when the city
/// is known ([`lookup_city`]), otherwise the cleaned text, with a trailing
/// `市` dropped from Chinese names so that `余姚市` and `余姚` agree.
pub fn normalize_city(raw: &str) -> String {
    if let Some(city) = lookup_city(raw) {
        return city;
    }
    let cleaned = nfkc_clean(raw);
    match cleaned.strip_suffix('市') {
        Some(short) if !short.is_empty() => short.to_string(),
        _ => cleaned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (raw, text, postcode, province, city)
    type Case = (
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );
    const CASES: &[Case] = &[
        (
            "北京市朝阳区建国路88号",
            "北京市朝阳区建国路88号",
            None,
            Some("北京"),
            Some("北京"),
        ),
        (
            "北京市朝阳区建国路88号 邮编：100020",
            "北京市朝阳区建国路88号",
            Some("100020"),
            Some("北京"),
            Some("北京"),
        ),
        (
            "广东省深圳市南山区科技园",
            "广东省深圳市南山区科技园",
            None,
            Some("广东"),
            Some("深圳"),
        ),
        (
            "广东深圳南山区",
            "广东深圳南山区",
            None,
            Some("广东"),
            Some("深圳"),
        ),
        (
            "深圳市南山区 518000",
            "深圳市南山区",
            Some("518000"),
            Some("广东"),
            Some("深圳"),
        ),
        (
            "广州市天河区体育西路",
            "广州市天河区体育西路",
            None,
            Some("广东"),
            Some("广州"),
        ),
        (
            "上海浦东新区张江路",
            "上海浦东新区张江路",
            None,
            Some("上海"),
            Some("上海"),
        ),
        (
            "江苏省苏州市工业园区",
            "江苏省苏州市工业园区",
            None,
            Some("江苏"),
            Some("苏州"),
        ),
        (
            "吉林省吉林市船营区",
            "吉林省吉林市船营区",
            None,
            Some("吉林"),
            Some("吉林"),
        ),
        (
            "吉林市船营区",
            "吉林市船营区",
            None,
            Some("吉林"),
            Some("吉林"),
        ),
        (
            "新疆维吾尔自治区乌鲁木齐市天山区",
            "新疆维吾尔自治区乌鲁木齐市天山区",
            None,
            Some("新疆"),
            Some("乌鲁木齐"),
        ),
        (
            "內蒙古自治區呼和浩特市",
            "內蒙古自治區呼和浩特市",
            None,
            Some("内蒙古"),
            Some("呼和浩特"),
        ),
        ("浙江省余姚市", "浙江省余姚市", None, Some("浙江"), None),
        (
            "Nanshan District, Shenzhen, Guangdong 518057",
            "Nanshan District, Shenzhen, Guangdong",
            Some("518057"),
            Some("广东"),
            Some("深圳"),
        ),
        (
            "香港九龙尖沙咀",
            "香港九龙尖沙咀",
            None,
            Some("香港"),
            Some("香港"),
        ),
        (
            "朝阳区建国路88号(邮编100020)",
            "朝阳区建国路88号",
            Some("100020"),
            None,
            None,
        ),
        ("电话13800138000", "电话13800138000", None, None, None),
        ("", "", None, None, None),
    ];

    #[test]
    fn parse_address_table() {
        for (raw, text, postcode, province, city) in CASES {
            let expected = Address {
                text: text.to_string(),
                postcode: postcode.map(str::to_string),
                province: province.map(str::to_string),
                city: city.map(str::to_string),
            };
            assert_eq!(parse_address(raw), expected, "{raw:?}");
        }
    }

    const CITIES: &[(&str, Option<&str>)] = &[
        ("深圳市", Some("深圳")),
        ("深圳", Some("深圳")),
        ("Shenzhen", Some("深圳")),
        ("SHENZHEN CITY", Some("深圳")),
        ("shen zhen", Some("深圳")),
        ("廣州", Some("广州")),
        ("北京市", Some("北京")),
        ("Beijing", Some("北京")),
        ("Peking", Some("北京")),
        ("上海", Some("上海")),
        ("Xi'an", Some("西安")),
        ("xian", Some("西安")),
        ("Hong Kong", Some("香港")),
        ("Harbin", Some("哈尔滨")),
        ("广东深圳", Some("深圳")),
        ("泰州", Some("泰州")),
        ("Taizhou", Some("台州")),
        ("余姚", None),
        ("余姚市", None),
        ("Springfield", None),
        ("", None),
    ];

    #[test]
    fn lookup_city_table() {
        for (raw, expected) in CITIES {
            assert_eq!(lookup_city(raw).as_deref(), *expected, "{raw:?}");
        }
    }

    const NORMALIZED: &[(&str, &str)] = &[
        ("深圳市", "深圳"),
        (" Shenzhen ", "深圳"),
        ("廣州市", "广州"),
        ("余姚市", "余姚"),
        ("余姚", "余姚"),
        ("Springfield", "Springfield"),
        ("市", "市"),
        ("", ""),
    ];

    #[test]
    fn normalize_city_table() {
        for (raw, expected) in NORMALIZED {
            assert_eq!(normalize_city(raw), *expected, "{raw:?}");
        }
    }

    #[test]
    fn table_covers_all_provinces_and_has_unique_names() {
        assert_eq!(PLACES.province.len(), 34);
        assert!(PLACES.city.len() >= 100);
        let mut latin: Vec<&str> = PLACES
            .province
            .iter()
            .flat_map(|p| p.latin.iter())
            .chain(PLACES.city.iter().flat_map(|c| c.latin.iter()))
            .map(String::as_str)
            .collect();
        let total = latin.len();
        latin.sort_unstable();
        latin.dedup();
        assert_eq!(latin.len(), total, "a Latin name is listed twice");
        for c in &PLACES.city {
            assert!(
                PLACES.province.iter().any(|p| p.name == c.province),
                "city {} names unknown province {}",
                c.name,
                c.province
            );
        }
    }
}
