package main

// Name material. Chinese names carry their pinyin for logins and emails.
var (
	cnSurnames = [][2]string{
		{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"}, {"杨", "yang"},
		{"赵", "zhao"}, {"黄", "huang"}, {"周", "zhou"}, {"吴", "wu"}, {"徐", "xu"}, {"孙", "sun"},
		{"胡", "hu"}, {"朱", "zhu"}, {"高", "gao"}, {"林", "lin"}, {"何", "he"}, {"郭", "guo"},
	}
	cnGiven = [][2]string{
		{"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"}, {"丽", "li"},
		{"强", "qiang"}, {"磊", "lei"}, {"军", "jun"}, {"洋", "yang"}, {"艳", "yan"}, {"杰", "jie"},
		{"涛", "tao"}, {"明", "ming"}, {"超", "chao"}, {"秀英", "xiuying"}, {"桂英", "guiying"}, {"志强", "zhiqiang"},
	}
	latinFirst = []string{"Emma", "Liam", "Olivia", "Noah", "Ava", "Oliver", "Sophia", "James",
		"Mia", "Lucas", "Charlotte", "Henry", "Amelia", "Jack", "Zoë", "José"}
	latinLast = []string{"Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas",
		"Roberts", "Walker", "Müller", "García", "O'Brien", "Nguyen", "Schmidt", "Rossi"}
	domains   = []string{"example.com", "example.net", "example.org", "mail.example.cn", "corp.example.com"}
	cnStreets = []string{
		"Room 1203, Building 5\nNo. 88 Zhongguancun St, Haidian",
		"海淀区中关村大街27号, 3层",
		"Unit 8, 2/F, 100 Century Ave\nPudong",
		"朝阳区建国路 93 号 万达广场 B 座",
		"Flat 12C, Tower 2,\nHarbour View Garden",
	}
	cnCities    = []string{"Beijing", "Shanghai", "深圳", "Guangzhou", "杭州", "Chengdu"}
	latinStreet = []string{
		"221B Baker Street",
		"1600 Amphitheatre Pkwy, Building 40",
		"10 Downing St,\nWestminster",
		"Flat 3, 45 Rue de Rivoli",
		"Hauptstraße 5",
	}
	latinCities = []string{"London", "Mountain View, CA", "Paris", "Berlin", "Dublin", "Sydney"}
	depts       = []string{"Sales", "R&D", "Finance, Asia", "市场部", "Support", " Operations "}
	groupSets   = []string{"admins", "Staff", " staff ;customers", "customers", "", "CUSTOMERS", "staff;admins", "guests", "employees;customers"}
	passwords   = []string{"Summer2019!", "p@ssw0rd,123", `Qu"ote#42`, "hunter2-hunter2", "Tr0ub4dor&3", "correct horse battery staple", "密码Secret9"}
)
