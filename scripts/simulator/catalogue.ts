/**
 * The simulator's picture of Furong District (芙蓉区): streets, halls, hotline categories and units,
 * service items and cross-region partners. Names follow the 2022 report where it gives them; partner
 * regions of the 15 跨省通办 agreements and the item list are plausible stand-ins (the report names only
 * the provinces and the count of 139).
 */

/** The bureau of the 2022 report (its title page); the demo seeds the bureau-name setting with it (BUREAU_NAME). */
export const BUREAU = '长沙市芙蓉区行政审批服务局';

/** The 13 streets (街道) of Furong District. */
export const STREETS = [
  '文艺路街道',
  '朝阳街道',
  '韭菜园街道',
  '五里牌街道',
  '火星街道',
  '马王堆街道',
  '东屯渡街道',
  '湘湖街道',
  '定王台街道',
  '荷花园街道',
  '东岸街道',
  '马坡岭街道',
  '东湖街道',
] as const;

export type HallKind = 'district' | 'street' | 'station24h';

export interface Hall {
  name: string;
  kind: HallKind;
  /** Share of the year's served matters. */
  share: number;
  /** 取号 services offered, by queue letter. */
  services: readonly string[];
}

/** Service types of the 取号叫号 system; the queue number's letter is the index (A, B, …). */
export const HALL_SERVICES = [
  '商事登记',
  '不动产登记',
  '社保医保',
  '住房公积金',
  '税务办理',
  '户政出入境',
  '工程建设审批',
  '社会事务',
  '综合咨询',
  '自助服务',
] as const;

export const DISTRICT_HALL = '区政务服务大厅';

export const HALLS: readonly Hall[] = [
  { name: DISTRICT_HALL, kind: 'district', share: 0.8, services: HALL_SERVICES.slice(0, 9) },
  { name: '文艺路街道政务服务中心', kind: 'street', share: 0.06, services: ['社保医保', '社会事务', '综合咨询'] },
  { name: '五里牌街道政务服务中心', kind: 'street', share: 0.05, services: ['社保医保', '社会事务', '综合咨询'] },
  { name: '世茂环球金融中心24小时楼宇政务服务驿站', kind: 'station24h', share: 0.035, services: ['商事登记', '不动产登记', '自助服务'] },
  { name: '农行八角亭支行24小时智慧政务服务驿站', kind: 'station24h', share: 0.03, services: ['商事登记', '自助服务'] },
  { name: '隆平高科技园24小时政务自助服务大厅', kind: 'station24h', share: 0.025, services: ['税务办理', '自助服务'] },
];

/** 12345 诉求分类 with their relative frequency and the district unit they are usually dispatched to. */
export const HOTLINE_CATEGORIES: readonly { name: string; weight: number; department: string }[] = [
  { name: '城市管理', weight: 22, department: '区城市管理和综合执法局' },
  { name: '市场监管', weight: 12, department: '区市场监督管理局' },
  { name: '住房保障', weight: 9, department: '区住房和城乡建设局' },
  { name: '物业管理', weight: 11, department: '区住房和城乡建设局' },
  { name: '社会保障', weight: 8, department: '区人力资源和社会保障局' },
  { name: '劳动纠纷', weight: 5, department: '区人力资源和社会保障局' },
  { name: '交通出行', weight: 7, department: '长沙市公安局交通警察支队芙蓉区大队' },
  { name: '环境保护', weight: 8, department: '长沙市生态环境局芙蓉分局' },
  { name: '教育', weight: 6, department: '区教育局' },
  { name: '医疗卫生', weight: 5, department: '区卫生健康局' },
  { name: '政务服务', weight: 4, department: '区行政审批服务局' },
  { name: '民政救助', weight: 3, department: '区民政局' },
];

/** Service items by department: the 一网通办 catalogue and the pool of the 139 跨省通办 items. */
export const SERVICE_ITEMS_BY_DEPARTMENT: readonly { department: string; items: readonly string[] }[] = [
  {
    department: '区行政审批服务局',
    items: [
      ...['有限责任公司', '个人独资企业', '合伙企业', '个体工商户', '农民专业合作社', '外商投资企业'].flatMap((s) =>
        ['设立登记', '变更登记', '注销登记', '备案'].map((a) => `${s}${a}`),
      ),
      '营业执照遗失补领',
      '食品经营许可',
      '食品经营许可变更',
      '药品经营许可证变更',
      '第二类医疗器械经营备案',
      '公共场所卫生许可',
      '医疗机构执业登记',
      '道路货物运输经营许可',
      '文化经营许可',
      '网络文化经营许可',
      '出版物零售许可',
      '娱乐场所经营许可',
      '营业性演出许可',
      '人力资源服务许可',
      '劳务派遣经营许可',
      '建筑业企业资质证书变更',
      '安全生产许可证变更',
      '特种设备作业人员证',
      '建设工程规划许可',
      '建筑工程施工许可',
      '城镇污水排入排水管网许可',
      '占用挖掘城市道路审批',
      '城市建筑垃圾处置核准',
      '户外广告设施设置审批',
      '临时占用城市绿地审批',
      '砍伐迁移城市树木审批',
      '民办非企业单位登记',
      '社会团体登记',
      '基金会变更登记',
      '再生资源回收经营者备案',
      '酒类经营许可',
      '兽药经营许可',
      '放射诊疗许可',
      '母婴保健技术服务执业许可',
      '消毒产品生产企业卫生许可',
      '旅行社设立许可',
      '校外培训机构办学许可',
      '民办学校办学许可',
      '幼儿园办学许可',
      '养老机构备案',
      '公章刻制备案',
    ],
  },
  {
    department: '区人力资源和社会保障局',
    items: [
      '城乡居民养老保险参保登记',
      '企业职工基本养老保险关系转移接续',
      '养老保险待遇领取资格认证',
      '社会保障卡申领',
      '社会保障卡挂失与补换',
      '失业保险金申领',
      '失业保险关系转移接续',
      '工伤保险待遇申请',
      '个人权益记录查询打印',
      '职工参保登记',
      '灵活就业人员参保登记',
      '就业失业登记',
      '就业创业证申领',
      '创业担保贷款申请',
      '职业资格证书查询',
      '技能等级证书查询',
      '城乡居民养老保险缴费',
      '退休人员基本养老金申领',
      '工伤认定申请',
    ],
  },
  {
    department: '区医疗保障局',
    items: [
      '城镇职工基本医疗保险关系转移接续',
      '异地就医备案',
      '医保参保信息查询',
      '生育保险待遇申领',
      '基本医疗保险参保登记',
      '城乡居民医保缴费',
      '医疗费用手工报销',
    ],
  },
  {
    department: '长沙住房公积金管理中心芙蓉管理部',
    items: [
      '住房公积金单位登记开户',
      '住房公积金个人账户设立',
      '住房公积金转移接续',
      '提前退休提取住房公积金',
      '购房提取住房公积金',
      '租房提取住房公积金',
      '住房公积金缴存证明开具',
      '住房公积金贷款进度查询',
    ],
  },
  {
    department: '区公安分局',
    items: [
      '户口迁移',
      '居民身份证换领',
      '居民身份证补领',
      '临时身份证明开具',
      '无犯罪记录证明开具',
      '机动车驾驶证补换领',
      '机动车检验标志核发',
      '出入境证件办理预约',
    ],
  },
  {
    department: '区民政局',
    items: [
      '婚姻登记档案查询',
      '结婚登记预约',
      '老年人优待证办理',
      '高龄津贴申领',
      '最低生活保障审核',
      '特困人员救助供养审核',
      '殡葬补贴申领',
      '社会救助申请',
      '地名证明',
      '门牌号证明',
    ],
  },
  { department: '区教育局', items: ['学籍档案转接', '教师资格认定', '普通话水平测试等级证书查询', '学历证明查询'] },
  {
    department: '区卫生健康局',
    items: ['出生医学证明补发', '预防接种证明查询', '医师执业注册', '护士执业注册', '流动人口婚育证明', '计划生育家庭特别扶助'],
  },
  { department: '区住房和城乡建设局', items: ['不动产登记资料查询', '不动产抵押登记', '商品房预售许可查询', '房屋租赁登记备案'] },
  {
    department: '国家税务总局长沙市芙蓉区税务局',
    items: ['税务登记信息查询', '个人所得税纳税记录开具', '发票领用', '出口退税备案', '涉税证明开具'],
  },
  { department: '区司法局', items: ['法律援助申请', '公证书出具', '司法鉴定查询'] },
  { department: '区退役军人事务局', items: ['退役军人优待证申领', '退役军人档案转接'] },
  { department: '区残疾人联合会', items: ['残疾人证换领', '残疾人两项补贴申领'] },
  { department: '区档案馆', items: ['档案查询利用'] },
];

export interface ServiceItem {
  itemCode: string;
  itemName: string;
  department: string;
}

/** Every item of the 一网通办 catalogue, with a stable code (430102 is Furong's division code). */
export const SERVICE_ITEMS: readonly ServiceItem[] = SERVICE_ITEMS_BY_DEPARTMENT.flatMap(({ department, items }, d) =>
  items.map((itemName, i) => ({
    itemCode: `430102-${String(d + 1).padStart(2, '0')}-${String(i + 1).padStart(3, '0')}`,
    itemName,
    department,
  })),
);

/** The 139 high-frequency 跨省通办 items of 2022 (report section 八.四). */
export const CROSS_REGION_ITEM_COUNT = 139;

/** Items bound to a place (roads, trees, outdoor signs in Furong): never handled across regions. */
const LOCAL_ONLY_ITEMS = new Set([
  '占用挖掘城市道路审批',
  '城市建筑垃圾处置核准',
  '户外广告设施设置审批',
  '临时占用城市绿地审批',
  '砍伐迁移城市树木审批',
]);

export const CROSS_REGION_ITEMS: readonly { itemCode: string; itemName: string }[] = (() => {
  const items = SERVICE_ITEMS.filter((item) => !LOCAL_ONLY_ITEMS.has(item.itemName)).slice(0, CROSS_REGION_ITEM_COUNT);
  if (items.length < CROSS_REGION_ITEM_COUNT) throw new Error('the service catalogue is smaller than the 139 跨省通办 items');
  return items.map((item, i) => ({ itemCode: `KSTB-${String(i + 1).padStart(3, '0')}`, itemName: item.itemName }));
})();

export type PartnerScope = 'inter_provincial' | 'changzhutan';

/** 15 跨省通办 partners (广东, 广西, 四川, 浙江, 贵州, 山东, 湖北, 上海) and the 3 长株潭 partners. */
export const PARTNER_REGIONS: readonly { region: string; scope: PartnerScope; signedAt: string }[] = [
  { region: '广东省深圳市南山区', scope: 'inter_provincial', signedAt: '2021-03-18' },
  { region: '广东省广州市天河区', scope: 'inter_provincial', signedAt: '2021-04-22' },
  { region: '广东省东莞市', scope: 'inter_provincial', signedAt: '2021-06-10' },
  { region: '广西壮族自治区南宁市青秀区', scope: 'inter_provincial', signedAt: '2021-05-12' },
  { region: '广西壮族自治区桂林市秀峰区', scope: 'inter_provincial', signedAt: '2021-09-08' },
  { region: '四川省成都市锦江区', scope: 'inter_provincial', signedAt: '2021-07-15' },
  { region: '四川省成都市武侯区', scope: 'inter_provincial', signedAt: '2021-11-03' },
  { region: '浙江省杭州市上城区', scope: 'inter_provincial', signedAt: '2021-08-19' },
  { region: '浙江省宁波市鄞州区', scope: 'inter_provincial', signedAt: '2022-03-24' },
  { region: '贵州省贵阳市南明区', scope: 'inter_provincial', signedAt: '2021-10-14' },
  { region: '山东省济南市历下区', scope: 'inter_provincial', signedAt: '2022-04-21' },
  { region: '山东省青岛市市南区', scope: 'inter_provincial', signedAt: '2022-05-19' },
  { region: '湖北省武汉市江汉区', scope: 'inter_provincial', signedAt: '2021-12-09' },
  { region: '湖北省武汉市武昌区', scope: 'inter_provincial', signedAt: '2022-06-16' },
  { region: '上海市黄浦区', scope: 'inter_provincial', signedAt: '2022-07-21' },
  { region: '湘潭市岳塘区', scope: 'changzhutan', signedAt: '2021-05-28' },
  { region: '株洲市天元区', scope: 'changzhutan', signedAt: '2021-05-28' },
  { region: '株洲市云龙示范区', scope: 'changzhutan', signedAt: '2021-06-25' },
];
