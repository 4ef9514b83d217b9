package templates

import (
	"regexp"
	"strings"
)

// place is where an address lies, as far as its text says: what a letter
// needs to name the county-level market regulator, the consumer
// association or the regulator's local office. A part it cannot find is
// the blank the user fills in (never "XX").
type place struct {
	Province, City, County string
	// found records which parts came from the address.
	found map[string]bool
}

// ProvinceShort is the province without 省/市/自治区 (上海, 广东), as NFRA
// office names use it.
func (p place) ProvinceShort() string {
	s := p.Province
	for _, suffix := range []string{"维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"} {
		if strings.HasPrefix(s, "内蒙古") {
			return "内蒙古"
		}
		if strings.HasSuffix(s, suffix) && s != suffix {
			return strings.TrimSuffix(s, suffix)
		}
	}
	return s
}

// CountyFull is the county with its city (上海市徐汇区), as a county-level
// bureau's name has it, or the blank when the county is unknown.
func (p place) CountyFull() string {
	if !p.found["county"] {
		return p.County
	}
	if p.found["city"] && p.City != p.County {
		return p.City + p.County
	}
	return p.County
}

// provincesEn are the provinces' names in English, for English letters to
// a regulator's local office.
var provincesEn = map[string]string{
	"北京": "Beijing", "上海": "Shanghai", "天津": "Tianjin", "重庆": "Chongqing", "河北": "Hebei", "山西": "Shanxi", "辽宁": "Liaoning",
	"吉林": "Jilin", "黑龙江": "Heilongjiang", "江苏": "Jiangsu", "浙江": "Zhejiang", "安徽": "Anhui", "福建": "Fujian", "江西": "Jiangxi",
	"山东": "Shandong", "河南": "Henan", "湖北": "Hubei", "湖南": "Hunan", "广东": "Guangdong", "海南": "Hainan", "四川": "Sichuan",
	"贵州": "Guizhou", "云南": "Yunnan", "陕西": "Shaanxi", "甘肃": "Gansu", "青海": "Qinghai", "台湾": "Taiwan", "内蒙古": "Inner Mongolia",
	"广西": "Guangxi", "西藏": "Tibet", "宁夏": "Ningxia", "新疆": "Xinjiang",
}

// ProvinceEn is the province in English, or as written when unknown.
func (p place) ProvinceEn() string {
	if en, ok := provincesEn[p.ProvinceShort()]; ok {
		return en
	}
	return p.ProvinceShort()
}

// ok reports whether the office the addressee key names could be derived.
func (p place) ok(key string) bool {
	switch key {
	case "market_regulator":
		return p.found["county"]
	case "consumer_association":
		return p.found["city"]
	}
	return p.found["province"]
}

var placeRE = regexp.MustCompile(`^(\p{Han}{2,}?(?:省|自治区))?(\p{Han}{2,}?市)?(\p{Han}{1,}?(?:区|县|旗))?`)

var municipalities = []string{"北京市", "上海市", "天津市", "重庆市"}

// parsePlace reads province, city and county from a Chinese address.
func parsePlace(addr, blank string) place {
	p := place{found: map[string]bool{}}
	m := placeRE.FindStringSubmatch(strings.TrimSpace(addr))
	if m != nil {
		p.Province, p.City, p.County = m[1], m[2], m[3]
	}
	for _, mu := range municipalities {
		if p.City == mu && p.Province == "" {
			p.Province = mu
		}
	}
	if p.Province == "" && p.City == "" {
		p.County = "" // a district with no city is too likely a street name
	}
	for k, v := range map[string]*string{"province": &p.Province, "city": &p.City, "county": &p.County} {
		p.found[k] = *v != ""
		if *v == "" {
			*v = blank
		}
	}
	if !p.found["city"] && p.found["province"] {
		p.City = p.Province
		p.found["city"] = true
	}
	return p
}
