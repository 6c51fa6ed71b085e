/**
 * A labelled set of realistic villager / grid-worker reports for measuring triage accuracy.
 *
 * How it was made: for each leaf of the default case catalogue we wrote several phrasings the way
 * people actually report on a phone (colloquial, with place words, time words and complaints
 * mixed in), drawn from the kinds of matters the source documents list (人居环境、矛盾纠纷、
 * 安全隐患、民生服务 …). Each report fills a template's slots with random places, objects and
 * time words, and about one in six gets a distracting clause from another topic, so the set is
 * not separable by a single keyword. Generation is seeded (deterministic). Reports are labelled
 * with the category code that a county dispatcher would file them under.
 */
const PLACES = ['村口', '二组', '老街', '学校门口', '村委会旁边', '河边', '菜市场后面', '五组山脚下', '大桥下', '三组路口', '祠堂边上', '新修的安置点'];
const TIMES = ['好几天了', '一个多星期了', '今天早上', '昨天晚上', '这段时间', '半个月了', '从上个月开始', '每天晚上'];
const TAILS = ['', '', '', '希望尽快处理', '麻烦村里派人来看看', '大家意见很大', '已经跟组长说过没用', '请领导重视'];
const NOISE = ['顺便说一下路灯也不太亮', '另外垃圾车来得也不准时', '村里广播声音太小听不清', '最近雨水多', '家里老人身体也不好'];

const T: Record<string, string[]> = {
  TD01: ['{p}有人在耕地上违规建房，{t}', '{p}那户人家在加盖第三层，没有审批', '有人占用基本农田搭棚子，在{p}', '{p}私自扩建围墙占了集体的地'],
  TD02: ['想申请宅基地建房，不知道要什么材料', '宅基地审批{t}还没有批下来', '我家宅基地证上的面积和实际不一样', '分户后宅基地怎么申请'],
  TD03: ['{p}有一户老人住的土坯房墙体开裂，很危险', '房子{t}一直漏雨，墙都裂了', '危房改造的补助什么时候下来', '{p}的旧房子快要倒塌了，里面还住着人'],
  HJ01: ['{p}的垃圾堆了{t}没人清运，很臭', '垃圾桶满了溢出来，{p}', '{p}垃圾乱倒，苍蝇很多', '保洁员{t}没来收垃圾'],
  HJ02: ['{p}养猪场的污水直接排到河里', '养殖场粪污{t}往沟里排，臭味很大', '{p}的小作坊排污水，水都发黑了', '河里的鱼死了，怀疑上游工厂排污'],
  HJ03: ['{p}有人在焚烧秸秆，烟很大', '{t}有人在田里烧稻草，呛得睡不着', '{p}有人烧垃圾冒黑烟', '山边有人烧荒，怕引起山火'],
  HJ04: ['{p}的水渠被淤泥堵住了，水过不去', '河道里漂浮物很多，{t}', '{p}沟渠塌了一段，灌溉受影响', '排水沟堵塞，一下雨就漫到路上'],
  XF01: ['邻居家的滴水落到我家屋顶，协商不成', '和隔壁因为通道问题吵架{t}', '{p}两家为了一棵树的归属发生争执', '邻居把路堵了不让我家车过'],
  XF02: ['子女不赡养老人，老人{t}没人管', '夫妻经常吵架，女方要求离婚', '婆媳矛盾闹得很厉害，需要调解', '老人的养老钱被儿子拿走了'],
  XF03: ['山林界址和邻村有争议', '承包地确权面积不对，和别人的地重叠', '{p}的责任田边界有纠纷', '林地被邻组的人砍了树，边界说不清'],
  XF04: ['包工头拖欠我们工资{t}', '在工地干了三个月工钱还没结', '老板跑了，欠了十几个人的工资', '打零工的工钱一直不给'],
  XF05: ['反映征地补偿标准不合理', '多次反映的问题一直没有答复，要求上访', '对低保评定结果有意见，要求说法', '修路占了我家的地没有补偿'],
  ZA01: ['{p}晚上有人聚众赌博', '{t}村里接连有人家里被偷', '{p}有陌生人开车转来转去，形迹可疑', '有人在小卖部后面打牌赌钱'],
  ZA02: ['两家因为土地吵架，一方扬言要报复', '{p}有人拿着刀吵架，情绪很激动', '讨债的人上门威胁，怕出事', '兄弟两个为分家打起来了'],
  ZA03: ['接到电话说是公检法让转账，怀疑是诈骗', '老人被人骗去买保健品花了几万块', '网上刷单被骗了钱', '有人冒充领导发短信要钱'],
  AQ01: ['{p}有人私拉电线，很容易着火', '液化气罐放在厨房灶边，有安全隐患', '{p}的老房子电线老化冒火花', '仓库里堆满柴草，消防通道被堵'],
  AQ02: ['{p}的摩托车经常超载拉人', '路口没有减速带，{t}出了好几次事故', '有人无证驾驶三轮车接送学生', '大货车超速从学校门口经过'],
  AQ03: ['{p}山体有裂缝，下雨怕滑坡', '后山{t}有落石滚下来', '{p}的路边塌方了一块', '房子后面的边坡出现裂缝'],
  AQ04: ['小卖部卖过期食品', '{p}的餐馆卫生很差，吃了拉肚子', '学校门口的小摊卖三无零食', '办酒席吃了以后好几个人不舒服'],
  AQ05: ['{p}的水塘没有护栏，小孩经常去玩水', '暑假有学生在河里游泳，很危险', '{p}的池塘边警示牌掉了', '水库边上没人看管，有人去钓鱼游泳'],
  FW01: ['医保报销比例是多少，怎么办理', '养老保险断缴了怎么补', '{t}医保卡用不了', '在外地住院怎么报销医保'],
  FW02: ['家里困难，想申请低保', '残疾人补贴{t}没有发', '临时救助怎么申请', '老人独居生活困难，需要救助'],
  FW03: ['需要开一个证明，村里帮忙代办', '身份证丢了，怎么补办', '户口迁移要办哪些手续', '老人行动不便，想请人代办社保认证'],
  FW04: ['想找份工作，有没有招工信息', '返乡人员想参加技能培训', '{p}附近有没有工厂招人', '残疾人就业有没有帮扶政策'],
  JC01: ['{p}的路面塌了一个大坑，车过不去', '村道{t}坑坑洼洼的，下雨全是泥', '{p}的小桥栏杆坏了', '通组公路破损严重，需要维修'],
  JC02: ['{p}的自来水{t}没来了', '自来水发黄，有异味', '水管爆了，{p}到处是水', '水压太低，二楼没水'],
  JC03: ['{p}{t}经常停电', '电压不稳，电器都烧坏了', '{p}的电杆歪了，电线垂得很低', '手机信号很差，宽带也装不了'],
  JC04: ['{p}的路灯坏了{t}', '广场上的健身器材坏了，容易伤人', '{p}的公厕没人打扫，门也坏了', '路灯一直不亮，晚上走路不安全'],
  NY01: ['稻田里病虫害很严重，需要农技指导', '买到的化肥怀疑是假的', '柑橘树叶子发黄，不知道什么病', '种子发芽率很低，怀疑质量有问题'],
  NY02: ['{p}有死猪被扔在路边', '鸡突然死了好多，怀疑是鸡瘟', '牛生病了，需要防疫人员来看看', '{p}河里发现病死的家禽'],
};

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface LabelledReport {
  code: string;
  text: string;
}

export function labelledReports(perCategory = 60, seed = 20260315): LabelledReport[] {
  const r = rng(seed);
  const pick = <X>(xs: readonly X[]) => xs[Math.floor(r() * xs.length)]!;
  const out: LabelledReport[] = [];
  for (const [code, templates] of Object.entries(T)) {
    for (let i = 0; i < perCategory; i++) {
      let text = pick(templates).replace('{p}', pick(PLACES)).replace('{t}', pick(TIMES));
      const tail = pick(TAILS);
      if (tail) text += '，' + tail;
      if (r() < 1 / 6) text += '。' + pick(NOISE);
      out.push({ code, text });
    }
  }
  // shuffle so a held-out tail is a fair sample
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const REPORT_CATEGORY_CODES = Object.keys(T);
