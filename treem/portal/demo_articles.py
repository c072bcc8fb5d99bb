"""The portal's demo articles: original guidance written for Treem (not copied from anywhere).

Facts are kept general or taken from the texts named in DOMAIN.md (Law on Children 102/2016/QH13,
Decree 56/2017/NĐ-CP, hotline 111); figures that would need a source are left out.
"""

from __future__ import annotations

CATEGORIES = [
    ("Tin tức", "Tin hoạt động chăm sóc, giáo dục và bảo vệ trẻ em trong tỉnh."),
    ("Mẹ và bé", "Hướng dẫn chăm sóc bà mẹ, trẻ sơ sinh và trẻ nhỏ."),
    ("Pháp luật về trẻ em", "Quyền của trẻ em và trách nhiệm của người lớn theo pháp luật."),
    ("Kỹ năng phòng, chống xâm hại", "Giúp trẻ và gia đình nhận biết, phòng tránh xâm hại."),
]

# (category, title, tags, excerpt, body HTML, days before the seed date it was published)
ARTICLES = [
    (
        "Tin tức",
        "Ra mắt cổng thông tin bảo vệ trẻ em của tỉnh",
        ["cổng thông tin", "tổng đài 111"],
        "Cổng thông tin là nơi cha mẹ, thầy cô và mọi người dân tìm hiểu cách chăm sóc, bảo vệ "
        "trẻ em và báo tin khi một trẻ cần được giúp đỡ.",
        """<p>Cổng thông tin bảo vệ trẻ em của tỉnh chính thức đi vào hoạt động. Đây là nơi đăng
tải tin tức, hướng dẫn chăm sóc trẻ nhỏ, kiến thức pháp luật và kỹ năng phòng, chống xâm hại
trẻ em, được biên soạn bởi cán bộ ngành y tế và công tác xã hội.</p>
<h2>Báo tin về trẻ em ngay trên cổng</h2>
<p>Ở đầu mỗi trang có nút <strong>Báo tin về trẻ em</strong>. Bất kỳ ai biết một trẻ đang bị
xâm hại, bạo lực, bỏ rơi hoặc gặp nguy hiểm đều có thể gửi tin, kể cả không để lại tên. Tin báo
được chuyển ngay tới cán bộ bảo vệ trẻ em của xã, phường nơi xảy ra sự việc. Người báo tin nhận
một mã theo dõi để xem tin đã được tiếp nhận và xử lý đến đâu.</p>
<h2>Khi khẩn cấp, hãy gọi 111</h2>
<p>Cổng thông tin không thay thế cuộc gọi khẩn cấp. Nếu trẻ đang gặp nguy hiểm ngay lúc này,
hãy gọi <strong>Tổng đài quốc gia bảo vệ trẻ em 111</strong> (miễn phí, hoạt động 24/7) hoặc
gọi Công an theo số 113.</p>
<p>Bạn đọc có thể đánh giá và bình luận dưới mỗi bài viết. Địa chỉ email của người bình luận
không bao giờ được hiển thị công khai.</p>""",
        2,
    ),
    (
        "Tin tức",
        "Tháng hành động vì trẻ em: các xã, phường sẵn sàng",
        ["tháng hành động vì trẻ em", "diễn đàn trẻ em"],
        "Tháng 6 hằng năm là Tháng hành động vì trẻ em. Các xã, phường trong tỉnh chuẩn bị "
        "nhiều hoạt động vui chơi, tuyên truyền và thăm hỏi trẻ có hoàn cảnh đặc biệt.",
        """<p>Theo Điều 11 Luật Trẻ em, tháng 6 hằng năm là <strong>Tháng hành động vì trẻ
em</strong>. Đây là dịp cả cộng đồng cùng nhìn lại việc chăm sóc, giáo dục và bảo vệ trẻ em ở
địa phương mình.</p>
<h2>Những hoạt động thường được tổ chức</h2>
<ul>
<li>Thăm hỏi, tặng quà trẻ em có hoàn cảnh đặc biệt, trẻ em khuyết tật, trẻ mồ côi.</li>
<li>Mở lớp dạy bơi và hướng dẫn kỹ năng phòng tránh đuối nước trước mùa hè.</li>
<li>Tổ chức diễn đàn để trẻ em nói lên suy nghĩ, mong muốn của mình với chính quyền.</li>
<li>Kiểm tra điểm vui chơi, sân chơi cho trẻ, sửa chữa những chỗ không an toàn.</li>
</ul>
<h2>Gia đình có thể làm gì?</h2>
<p>Cha mẹ hãy dành thời gian trò chuyện, chơi cùng con, cùng con tham gia các hoạt động của
khu phố, thôn, ấp. Nếu biết trẻ nào trong xóm cần được giúp đỡ, hãy báo cho cộng tác viên thôn,
ấp hoặc cán bộ xã.</p>""",
        9,
    ),
    (
        "Tin tức",
        "Diễn đàn trẻ em: lắng nghe tiếng nói của các em",
        ["diễn đàn trẻ em", "quyền tham gia"],
        "Trẻ em có quyền được bày tỏ ý kiến về những việc liên quan đến mình. Diễn đàn trẻ em "
        "cấp xã là nơi người lớn lắng nghe và trả lời các em.",
        """<p>Luật Trẻ em ghi nhận quyền của trẻ được tiếp cận thông tin, bày tỏ ý kiến và tham
gia vào những vấn đề liên quan đến trẻ em. Diễn đàn trẻ em là một cách để quyền đó đi vào cuộc
sống.</p>
<h2>Một diễn đàn tốt cần gì?</h2>
<ol>
<li>Các em được chuẩn bị trước: biết chủ đề, có thời gian thảo luận với bạn bè.</li>
<li>Người lớn đến để lắng nghe, không phán xét, không phát biểu thay các em.</li>
<li>Mỗi kiến nghị của trẻ đều được ghi lại và có câu trả lời, kể cả khi chưa làm được ngay.</li>
<li>Trẻ em có hoàn cảnh đặc biệt, trẻ khuyết tật cũng được mời và hỗ trợ để tham gia.</li>
</ol>
<p>Những điều các em thường nêu là sân chơi an toàn, đường đến trường, nước sạch, nhà vệ
sinh ở trường và cách phòng tránh bị bắt nạt. Đó cũng là những việc chính quyền xã có thể bắt
tay làm ngay.</p>""",
        20,
    ),
    (
        "Mẹ và bé",
        "Chăm sóc trẻ sơ sinh trong tháng đầu",
        ["chăm sóc trẻ em", "trẻ sơ sinh"],
        "Tháng đầu đời là giai đoạn trẻ làm quen với môi trường bên ngoài. Giữ ấm, cho bú sớm, "
        "giữ vệ sinh rốn và theo dõi dấu hiệu bất thường là những việc quan trọng nhất.",
        """<p>Chăm sóc trẻ sơ sinh không cần những sản phẩm đắt tiền, nhưng cần sự kiên nhẫn và
quan sát kỹ. Dưới đây là những điều cha mẹ nên nắm vững trong tháng đầu.</p>
<h2>Giữ ấm và da kề da</h2>
<p>Ngay sau sinh, đặt bé nằm da kề da trên ngực mẹ giúp bé giữ ấm, ổn định nhịp thở và bú mẹ
sớm hơn. Phòng của bé nên thoáng nhưng tránh gió lùa; không ủ bé quá nhiều lớp.</p>
<h2>Chăm sóc rốn</h2>
<p>Giữ rốn khô và sạch. Rửa tay trước khi chạm vào rốn, không đắp bất cứ thứ gì lên rốn. Đưa bé
đi khám nếu rốn đỏ, sưng, chảy mủ hoặc có mùi hôi.</p>
<h2>Những dấu hiệu cần đưa bé đi khám ngay</h2>
<ul>
<li>Bé bỏ bú hoặc bú rất kém, nôn tất cả mọi thứ.</li>
<li>Sốt, hoặc người lạnh bất thường.</li>
<li>Thở nhanh, thở rút lõm lồng ngực, tím tái.</li>
<li>Co giật, li bì, khó đánh thức.</li>
<li>Vàng da xuất hiện sớm hoặc lan xuống tay, chân.</li>
</ul>
<p>Hãy đưa bé đi tiêm chủng đúng lịch tại trạm y tế xã, phường và giữ kỹ sổ tiêm chủng.</p>""",
        3,
    ),
    (
        "Mẹ và bé",
        "Nuôi con bằng sữa mẹ: những điều cha mẹ cần biết",
        ["sữa mẹ", "dinh dưỡng", "chăm sóc trẻ em"],
        "Sữa mẹ là thức ăn tốt nhất cho trẻ nhỏ. Cho bú sớm, bú mẹ hoàn toàn trong 6 tháng đầu "
        "và tiếp tục cho bú khi trẻ ăn dặm giúp trẻ khỏe mạnh, ít ốm vặt.",
        """<p>Tổ chức Y tế Thế giới khuyến nghị cho trẻ bú mẹ trong vòng một giờ đầu sau sinh,
<strong>bú mẹ hoàn toàn trong 6 tháng đầu</strong> và tiếp tục bú mẹ đến 24 tháng hoặc lâu hơn
cùng với ăn bổ sung.</p>
<h2>Bú mẹ hoàn toàn nghĩa là gì?</h2>
<p>Trong 6 tháng đầu, trẻ chỉ cần sữa mẹ, không cần uống thêm nước, nước cháo hay sữa khác,
trừ thuốc theo chỉ định của cán bộ y tế. Sữa mẹ đã đủ nước và chất dinh dưỡng cho trẻ.</p>
<h2>Làm sao biết bé bú đủ?</h2>
<ul>
<li>Bé đi tiểu nhiều lần trong ngày, nước tiểu trong.</li>
<li>Bé tăng cân đều khi được cân ở trạm y tế.</li>
<li>Sau bữa bú, bé thư thái, ngủ ngon.</li>
</ul>
<h2>Người thân giúp mẹ thế nào?</h2>
<p>Mẹ cần ăn uống đủ, nghỉ ngơi và được động viên. Người bố và gia đình có thể chia sẻ việc
nhà, bế bé, thay tã để mẹ có thời gian nghỉ. Khi mẹ quay lại làm việc, có thể vắt sữa và bảo
quản trong tủ lạnh để người chăm sóc cho bé ăn bằng cốc, thìa.</p>""",
        12,
    ),
    (
        "Mẹ và bé",
        "Ăn dặm đúng cách cho trẻ từ 6 tháng tuổi",
        ["dinh dưỡng", "ăn dặm"],
        "Từ 6 tháng tuổi, sữa mẹ không còn đủ cho nhu cầu lớn lên của trẻ. Cho trẻ ăn dặm đúng "
        "lúc, đủ nhóm chất và giữ vệ sinh giúp phòng suy dinh dưỡng.",
        """<p>Ăn dặm (ăn bổ sung) là cho trẻ ăn thêm thức ăn ngoài sữa mẹ. Thời điểm phù hợp là
<strong>khi trẻ tròn 6 tháng tuổi</strong>; vẫn tiếp tục cho bú mẹ.</p>
<h2>Bắt đầu thế nào?</h2>
<p>Bắt đầu bằng bột hoặc cháo loãng, vài thìa mỗi bữa, rồi tăng dần độ đặc và lượng thức ăn.
Mỗi lần chỉ thêm một loại thức ăn mới để theo dõi trẻ có dị ứng không.</p>
<h2>Bát bột đủ chất có gì?</h2>
<table>
<caption>Bốn nhóm thực phẩm trong một bữa ăn của trẻ</caption>
<thead><tr><th scope="col">Nhóm</th><th scope="col">Ví dụ</th></tr></thead>
<tbody>
<tr><td>Tinh bột</td><td>Gạo, khoai, bún, mì</td></tr>
<tr><td>Đạm</td><td>Thịt, cá, tôm, trứng, đậu phụ</td></tr>
<tr><td>Chất béo</td><td>Dầu ăn, mỡ</td></tr>
<tr><td>Vitamin và khoáng chất</td><td>Rau xanh, quả chín</td></tr>
</tbody>
</table>
<h2>Giữ vệ sinh</h2>
<p>Rửa tay trước khi chế biến và cho trẻ ăn; nấu chín kỹ; cho trẻ ăn ngay sau khi nấu. Không
ép trẻ ăn, không cho trẻ vừa ăn vừa xem điện thoại.</p>""",
        30,
    ),
    (
        "Pháp luật về trẻ em",
        "Luật Trẻ em 2016: những quyền cơ bản của trẻ",
        ["luật trẻ em", "quyền trẻ em"],
        "Theo Luật Trẻ em, trẻ em là người dưới 16 tuổi. Luật ghi nhận các quyền của trẻ và "
        "trách nhiệm của gia đình, nhà trường, xã hội và Nhà nước.",
        """<p><strong>Luật Trẻ em số 102/2016/QH13</strong> có hiệu lực từ ngày 1 tháng 6 năm 2017.
Điều 1 của Luật quy định trẻ em là người dưới 16 tuổi.</p>
<h2>Một số quyền cơ bản</h2>
<ul>
<li>Quyền sống, được khai sinh và có quốc tịch.</li>
<li>Quyền được chăm sóc sức khỏe, được học tập, vui chơi, giải trí.</li>
<li>Quyền được bảo vệ để không bị xâm hại tình dục, bạo lực, bóc lột, bỏ rơi, mua bán.</li>
<li>Quyền bí mật đời sống riêng tư.</li>
<li>Quyền được tiếp cận thông tin và tham gia vào các vấn đề về trẻ em.</li>
</ul>
<h2>Bí mật đời sống riêng tư của trẻ</h2>
<p>Không ai được đăng tải tên, hình ảnh, địa chỉ, trường học hay thông tin có thể nhận ra một
trẻ bị xâm hại. Khi chia sẻ câu chuyện trên mạng xã hội, hãy nghĩ tới sự an toàn của trẻ
trước.</p>
<h2>Bổn phận của trẻ em</h2>
<p>Luật cũng nêu bổn phận của trẻ với gia đình, nhà trường, cộng đồng và với chính mình, phù
hợp với độ tuổi. Giáo dục quyền đi đôi với bổn phận giúp trẻ trưởng thành có trách nhiệm.</p>""",
        15,
    ),
    (
        "Pháp luật về trẻ em",
        "Trẻ em có hoàn cảnh đặc biệt là những ai?",
        ["luật trẻ em", "trẻ em có hoàn cảnh đặc biệt"],
        "Luật Trẻ em nêu 14 nhóm trẻ em có hoàn cảnh đặc biệt, được Nhà nước và xã hội quan tâm "
        "hỗ trợ. Biết các nhóm này giúp mọi người phát hiện và giới thiệu trẻ tới nơi giúp đỡ.",
        """<p>Điều 10 Luật Trẻ em liệt kê các nhóm <strong>trẻ em có hoàn cảnh đặc biệt</strong>.
Một trẻ có thể thuộc nhiều nhóm cùng lúc.</p>
<ul>
<li>Trẻ mồ côi cả cha và mẹ; trẻ bị bỏ rơi; trẻ không nơi nương tựa.</li>
<li>Trẻ khuyết tật; trẻ nhiễm HIV/AIDS.</li>
<li>Trẻ vi phạm pháp luật; trẻ nghiện ma túy.</li>
<li>Trẻ phải bỏ học kiếm sống khi chưa hoàn thành phổ cập giáo dục trung học cơ sở.</li>
<li>Trẻ bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực; trẻ bị bóc lột; trẻ bị
xâm hại tình dục; trẻ bị mua bán.</li>
<li>Trẻ mắc bệnh hiểm nghèo hoặc bệnh cần điều trị dài ngày thuộc hộ nghèo, hộ cận nghèo.</li>
<li>Trẻ di cư, trẻ lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc.</li>
</ul>
<h2>Các em được hỗ trợ những gì?</h2>
<p>Tùy hoàn cảnh, trẻ có thể được trợ cấp xã hội hằng tháng, hỗ trợ chăm sóc thay thế, hỗ
trợ học tập, chăm sóc y tế, tư vấn tâm lý. Cán bộ bảo vệ trẻ em của xã, phường là người đầu
tiên gia đình có thể liên hệ.</p>""",
        40,
    ),
    (
        "Pháp luật về trẻ em",
        "Phát hiện trẻ bị xâm hại: ai phải làm gì?",
        ["tổng đài 111", "báo tin", "xâm hại trẻ em"],
        "Mọi người đều có trách nhiệm thông báo khi biết trẻ bị xâm hại hoặc có nguy cơ bị xâm "
        "hại. Tin báo được chuyển ngay về xã, phường nơi xảy ra sự việc để đánh giá và can thiệp.",
        """<p>Khi nghi ngờ hoặc biết một trẻ bị xâm hại, bạn không cần có đủ bằng chứng mới được
báo. Việc xác minh là trách nhiệm của cơ quan chức năng; việc của bạn là báo tin sớm.</p>
<h2>Báo cho ai?</h2>
<ul>
<li><strong>Tổng đài quốc gia bảo vệ trẻ em 111</strong>, miễn phí, 24/7.</li>
<li>Công an nơi gần nhất, hoặc gọi 113 khi khẩn cấp.</li>
<li>Ủy ban nhân dân xã, phường, cán bộ bảo vệ trẻ em hoặc cộng tác viên thôn, ấp.</li>
<li>Biểu mẫu <a href="/bao-tin/">Báo tin về trẻ em</a> trên cổng thông tin này.</li>
</ul>
<h2>Sau khi nhận tin báo</h2>
<p>Theo Nghị định 56/2017/NĐ-CP, tin báo được chuyển về xã nơi xảy ra sự việc; cán bộ bảo vệ
trẻ em đánh giá ban đầu mức độ nguy hiểm. Nếu trẻ có nguy cơ bị tổn hại nghiêm trọng, các biện
pháp bảo vệ khẩn cấp phải được áp dụng trong vòng 12 giờ kể từ khi nhận tin. Sau đó, trẻ và
gia đình được đánh giá nhu cầu và có kế hoạch hỗ trợ, can thiệp.</p>
<h2>Thông tin của người báo tin được giữ kín</h2>
<p>Bạn có thể báo tin ẩn danh. Thông tin về trẻ và về người báo tin chỉ được dùng để bảo vệ
trẻ.</p>""",
        6,
    ),
    (
        "Kỹ năng phòng, chống xâm hại",
        "Dạy trẻ quy tắc vùng riêng tư trên cơ thể",
        ["kỹ năng sống", "xâm hại trẻ em", "giáo dục giới tính"],
        "Trẻ cần biết những vùng trên cơ thể không ai được chạm vào, biết nói “không”, "
        "chạy đi và kể với người lớn tin cậy. Cha mẹ có thể dạy điều này từ khi con còn nhỏ.",
        """<p>Dạy trẻ về cơ thể mình không phải là chuyện ngại ngùng. Trẻ hiểu càng sớm thì càng
biết cách tự bảo vệ và biết tìm người giúp.</p>
<h2>Vùng riêng tư là gì?</h2>
<p>Đó là những vùng được đồ lót che lại, và cả miệng. Hãy gọi đúng tên các bộ phận cơ thể
để trẻ có thể kể lại rõ ràng khi cần.</p>
<h2>Ba bước ghi nhớ</h2>
<ol>
<li><strong>Nói “Không!”</strong> thật to khi ai đó muốn chạm vào vùng riêng tư, muốn xem
hoặc bắt trẻ chạm vào người họ.</li>
<li><strong>Chạy đi</strong> tới chỗ đông người, chỗ an toàn.</li>
<li><strong>Kể ngay</strong> với cha mẹ, thầy cô hoặc người lớn tin cậy, kể cả khi người đó
dặn phải giữ bí mật.</li>
</ol>
<h2>Bí mật tốt và bí mật xấu</h2>
<p>Giải thích cho trẻ: bí mật vui như món quà sinh nhật thì có thể giữ; bí mật làm con sợ hãi,
khó chịu thì phải kể. Khi con kể, hãy bình tĩnh, tin con và khen con đã dũng cảm.</p>""",
        1,
    ),
    (
        "Kỹ năng phòng, chống xâm hại",
        "Giữ an toàn cho trẻ khi sử dụng Internet",
        ["an toàn trên mạng", "kỹ năng sống"],
        "Internet giúp trẻ học tập và kết nối, nhưng cũng có những rủi ro như bị lừa gạt, bắt "
        "nạt trên mạng hay tiếp xúc nội dung không phù hợp. Cha mẹ cần đồng hành cùng con.",
        """<p>Trẻ em ngày nay làm quen với điện thoại và Internet từ rất sớm. Cấm hoàn toàn thường
không hiệu quả; cha mẹ nên hướng dẫn và đặt ra quy tắc cùng con.</p>
<h2>Quy tắc gia đình nên thống nhất</h2>
<ul>
<li>Đặt thiết bị ở phòng chung, giới hạn thời gian sử dụng theo độ tuổi.</li>
<li>Không chia sẻ tên trường, địa chỉ nhà, số điện thoại, ảnh riêng tư với người lạ.</li>
<li>Không gặp mặt người chỉ quen trên mạng nếu không có cha mẹ đi cùng.</li>
<li>Không gửi ảnh, video cơ thể mình cho bất kỳ ai, dù người đó hứa hẹn gì.</li>
</ul>
<h2>Dấu hiệu trẻ gặp chuyện trên mạng</h2>
<p>Trẻ bỗng giấu điện thoại, hoảng hốt khi có tin nhắn, thu mình, có quà hoặc tiền không rõ
nguồn gốc. Khi đó, hãy trò chuyện nhẹ nhàng, không la mắng. Nếu trẻ bị đe dọa, dụ dỗ hay bị
phát tán hình ảnh, hãy giữ lại bằng chứng và báo ngay cho Tổng đài 111 hoặc cơ quan công an.</p>""",
        8,
    ),
    (
        "Kỹ năng phòng, chống xâm hại",
        "Phòng chống đuối nước cho trẻ trong mùa hè",
        ["phòng chống đuối nước", "an toàn cho trẻ", "kỹ năng sống"],
        "Đuối nước có thể xảy ra rất nhanh và lặng lẽ, kể cả ở chậu nước trong nhà. Trông trẻ "
        "sát sao, che đậy dụng cụ chứa nước và cho trẻ học bơi an toàn là cách phòng hiệu quả.",
        """<p>Mùa hè là lúc trẻ nghỉ học, hay chơi gần ao, hồ, sông, suối. Chỉ vài phút thiếu
người trông cũng có thể dẫn tới tai nạn đáng tiếc.</p>
<h2>Ở nhà</h2>
<ul>
<li>Đậy kín lu, chum, bể nước; úp ngược chậu, xô sau khi dùng.</li>
<li>Không để trẻ nhỏ một mình trong nhà tắm, kể cả chỉ một phút.</li>
<li>Làm rào chắn quanh ao, hố nước gần nhà.</li>
</ul>
<h2>Khi đi bơi, đi chơi gần nước</h2>
<ul>
<li>Luôn có người lớn biết bơi trông chừng, ở trong tầm tay với trẻ nhỏ.</li>
<li>Cho trẻ học bơi và kỹ năng an toàn dưới nước ở nơi có người hướng dẫn.</li>
<li>Mặc áo phao khi đi thuyền, đò; không tắm ở nơi có biển cấm.</li>
</ul>
<h2>Khi thấy người bị đuối nước</h2>
<p>Hô hoạn gọi người giúp, gọi cấp cứu 115. Nếu không biết bơi, đừng nhảy xuống: hãy ném
cho người bị nạn vật nổi như can nhựa, phao, hoặc đưa sào, dây để kéo vào.</p>""",
        45,
    ),
]

# Staff-side examples: one draft and one waiting for review (never visible on the public site).
UNPUBLISHED = [
    (
        "Mẹ và bé",
        "Phòng bệnh tay chân miệng ở trẻ nhỏ",
        ["phòng bệnh", "chăm sóc trẻ em"],
        "Bệnh tay chân miệng hay gặp ở trẻ dưới 5 tuổi. Rửa tay bằng xà phòng và vệ sinh đồ chơi "
        "là cách phòng bệnh đơn giản nhất.",
        """<p>Bài đang viết: các dấu hiệu của bệnh, cách chăm sóc trẻ tại nhà và khi nào cần đưa
trẻ đến cơ sở y tế.</p>""",
        "draft",
    ),
    (
        "Kỹ năng phòng, chống xâm hại",
        "Nhận biết dấu hiệu trẻ bị bạo lực",
        ["xâm hại trẻ em", "bạo lực"],
        "Những vết bầm không rõ lý do, trẻ sợ về nhà, thay đổi hành vi đột ngột có thể là dấu "
        "hiệu trẻ đang bị bạo lực. Người lớn xung quanh cần để ý và báo tin.",
        """<p>Bạo lực với trẻ em không chỉ là đánh đập. Mắng chửi, đe dọa, bỏ mặc cũng gây tổn
thương lâu dài.</p>
<p>Nếu thấy trẻ có các dấu hiệu đáng lo, hãy trò chuyện với trẻ ở nơi an toàn và báo cho
Tổng đài 111 hoặc cán bộ bảo vệ trẻ em của xã.</p>""",
        "in_review",
    ),
]

COMMENTERS = [
    ("Nguyễn Thị Lan", "lan.nguyen@example.com"),
    ("Trần Văn Minh", "minh.tran@example.com"),
    ("Lê Thị Hoa", "hoa.le@example.com"),
    ("Phạm Quốc Huy", "huy.pham@example.com"),
]

COMMENT_TEXTS = [
    "Bài viết rất hữu ích, cảm ơn cổng thông tin. Tôi sẽ chia sẻ cho các mẹ trong khu phố.",
    "Nhà tôi có bé 5 tháng, đọc bài này tôi yên tâm hơn nhiều.",
    "Mong cổng có thêm bài về cách trò chuyện với con tuổi dậy thì.",
    "Thông tin rõ ràng, dễ hiểu. Cảm ơn các cán bộ đã biên soạn.",
    "Trường con tôi cũng vừa tổ chức buổi nói chuyện về chủ đề này.",
]

REPLY_TEXTS = [
    "Cảm ơn chị đã góp ý, ban biên tập sẽ cân nhắc thêm bài về chủ đề này.",
    "Tôi cũng thấy vậy, nhất là phần dấu hiệu cần đưa bé đi khám.",
]
